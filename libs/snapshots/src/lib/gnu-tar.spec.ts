import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Digest, MediaType } from '@stevedore/domain';
import { MemoryBlobStore } from '@stevedore/testing';
import { Snapshotter } from './snapshotter';

/** listing is what `find` says of a tree: path, mode, owner, mtime, link target, link count. */
function listing(dir: string): string {
  return execFileSync('find', ['.', '-printf', '%p %M %U:%G %T@ %l %n\n'], {
    cwd: dir,
    encoding: 'utf8',
  })
    .split('\n')
    .sort()
    .join('\n');
}

describe('Snapshotter.unpackLayer of layers made by GNU tar', () => {
  let work: string;
  let source: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'gnu-tar-'));
    source = join(work, 'source');
    await mkdir(join(source, 'usr/share/a-rather-long-directory-name-'.padEnd(120, 'x')), {
      recursive: true,
    });
    await writeFile(
      join(source, 'usr/share/a-rather-long-directory-name-'.padEnd(120, 'x'), 'file'),
      'deep',
    );
    await writeFile(join(source, 'tool'), '#!/bin/sh\n', { mode: 0o4755 });
    await link(join(source, 'tool'), join(source, 'tool-alias'));
    await symlink('usr/share', join(source, 'share'));
    await mkdir(join(source, 'private'), { mode: 0o700 });
    // Owners survive only as root; otherwise every entry is the caller's, in the source too.
    if (process.getuid?.() === 0)
      execFileSync('chown', ['-R', '1234:5678', join(source, 'private')]);
    // Whole seconds: a tar header keeps no fraction.
    execFileSync('find', [source, '-exec', 'touch', '-h', '-d', '2001-02-03T04:05:06Z', '{}', '+']);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it.each([
    ['gzip', ['-z'], MediaType.OciLayerGzip],
    ['zstd', ['--zstd'], MediaType.OciLayerZstd],
    ['no', [], MediaType.OciLayer],
  ] as const)(
    'reproduces the tree of a %s-compressed layer exactly',
    async (_what, flags, mediaType) => {
      const blob = execFileSync('tar', ['-C', source, ...flags, '-cf', '-', '.'], {
        maxBuffer: 1 << 24,
      });
      const tar = execFileSync('tar', ['-C', source, '-cf', '-', '.'], { maxBuffer: 1 << 24 });
      const store = new MemoryBlobStore();
      const snapshots = new Snapshotter(store, join(work, `root-${mediaType.length}`));
      const digest = Digest.parse(store.put(blob));
      const snapshot = await snapshots.unpackLayer({
        digest,
        mediaType,
        diffId: Digest.fromBytes(tar),
      });
      expect(listing(snapshot.tree)).toBe(listing(source));
    },
  );

  it('refuses a cut zstd layer with INVALID_ARGUMENT and leaves no snapshot', async () => {
    const blob = execFileSync('tar', ['-C', source, '--zstd', '-cf', '-', '.'], {
      maxBuffer: 1 << 24,
    });
    const tar = execFileSync('tar', ['-C', source, '-cf', '-', '.'], { maxBuffer: 1 << 24 });
    const store = new MemoryBlobStore();
    const snapshots = new Snapshotter(store, join(work, 'cut-zstd'));
    const digest = Digest.parse(store.put(blob.subarray(0, blob.length - 30)));
    const layer = { digest, mediaType: MediaType.OciLayerZstd, diffId: Digest.fromBytes(tar) };
    await expect(snapshots.unpackLayer(layer)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await snapshots.listSnapshots()).toEqual([]);
  });
});
