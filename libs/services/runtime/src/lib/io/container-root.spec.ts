import type { MountRecord } from '../store/container-record';
import { targetOf } from './container-root';

describe('targetOf (docker cp paths under mounts)', () => {
  const mounts: MountRecord[] = [
    { type: 'volume', name: 'v', source: '/vol/_data', destination: '/data', readonly: false },
    { type: 'bind', source: '/srv/deep', destination: '/data/deep', readonly: true },
  ];

  it('keeps a path outside every mount in the root', () => {
    expect(targetOf('/root', '/etc/passwd', mounts)).toEqual({
      root: '/root',
      path: '/etc/passwd',
    });
    expect(targetOf('/root', '/database', mounts).root).toBe('/root');
  });

  it('serves a path under a mount from its source, the deepest mount winning', () => {
    expect(targetOf('/root', '/data/a/b', mounts)).toMatchObject({
      root: '/vol/_data',
      path: '/a/b',
    });
    expect(targetOf('/root', '/data/deep/x', mounts)).toMatchObject({
      root: '/srv/deep',
      path: '/x',
    });
  });

  it('keeps the meaning of a trailing / and /.', () => {
    expect(targetOf('/root', '/data/', mounts).path).toBe('/');
    expect(targetOf('/root', '/data/.', mounts).path).toBe('/.');
    expect(targetOf('/root', '/data/sub/', mounts).path).toBe('/sub/');
    expect(targetOf('/root', '/data/../etc', mounts)).toEqual({
      root: '/root',
      path: '/data/../etc',
    });
  });
});
