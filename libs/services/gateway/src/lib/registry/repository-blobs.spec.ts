import { repositoryOf } from './registry-names';
import { servedNames } from './repository-blobs';

const SELF = new Set(['localhost:5000', '127.0.0.1:5000']);

describe('servedNames (the store names a /v2/ repository is served from)', () => {
  it.each([
    [
      'library/busybox',
      [
        'docker.io/library/busybox',
        'localhost:5000/library/busybox',
        '127.0.0.1:5000/library/busybox',
      ],
    ],
    ['team/app', ['docker.io/team/app', 'localhost:5000/team/app', '127.0.0.1:5000/team/app']],
    ['busybox', ['docker.io/busybox', 'localhost:5000/busybox', '127.0.0.1:5000/busybox']],
    [
      'ghcr.io/org/app',
      [
        'ghcr.io/org/app',
        'docker.io/ghcr.io/org/app',
        'localhost:5000/ghcr.io/org/app',
        '127.0.0.1:5000/ghcr.io/org/app',
      ],
    ],
  ])('serves %s from %j', (repository, names) => {
    expect(servedNames(repository, SELF).sort()).toEqual([...names].sort());
  });

  it('never names busybox under docker.io/library (that is served as library/busybox)', () => {
    expect(servedNames('busybox', SELF)).not.toContain('docker.io/library/busybox');
  });

  it('names only what repositoryOf serves as that repository (its inverse)', () => {
    for (const repository of ['library/busybox', 'team/app', 'busybox', 'ghcr.io/org/app'])
      for (const name of servedNames(repository, SELF))
        expect(repositoryOf(name, SELF)).toBe(repository);
  });
});
