import { lstat, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Digest, DomainError } from '@stevedore/domain';
import { MemoryBlobStore } from '@stevedore/testing';
import { storeLayer, tarOf } from '../test/layers';
import { Snapshotter } from './snapshotter';

const asRoot = process.getuid?.() === 0;

describe('Snapshotter.unpackLayer', () => {
  let dataRoot: string;
  let store: MemoryBlobStore;
  let snapshots: Snapshotter;

  beforeEach(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'snapshots-'));
    store = new MemoryBlobStore();
    snapshots = new Snapshotter(store, dataRoot);
  });
  afterEach(() => rm(dataRoot, { recursive: true, force: true }));

  /** leftovers lists what is under snapshots/ besides empty dirs: a refused unpack leaves nothing. */
  async function leftovers(): Promise<string[]> {
    const tmp = await readdir(snapshots.layout.tmp).catch(() => []);
    const published = await readdir(join(snapshots.layout.root, 'sha256')).catch(() => []);
    return [...tmp, ...published];
  }

  it('unpacks a gzip layer keyed by its diff ID, keeping modes, owners, links and mtimes', async () => {
    const layer = await storeLayer(store, [
      { name: 'etc/', type: 'directory', mode: 0o750, uid: 7, gid: 8 },
      { name: 'etc/motd', content: 'hello', mode: 0o4755, uid: 7, gid: 8 },
      { name: 'etc/motd-link', type: 'symlink', linkname: 'motd' },
      { name: 'etc/motd-hard', type: 'link', linkname: 'etc/motd' },
      { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
    ]);
    const snapshot = await snapshots.unpackLayer(layer);
    const tree = snapshot.tree;
    expect(tree).toBe(join(dataRoot, 'snapshots', 'sha256', layer.diffId.hex, 'fs'));
    expect(await readFile(join(tree, 'etc/motd'), 'utf8')).toBe('hello');
    const motd = await stat(join(tree, 'etc/motd'));
    expect(motd.mode & 0o7777).toBe(0o4755);
    expect(motd.mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
    expect(motd.nlink).toBe(2);
    expect((await stat(join(tree, 'etc'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(tree, 'etc'))).mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
    if (asRoot) expect([motd.uid, motd.gid]).toEqual([7, 8]);
    expect(await readlink(join(tree, 'etc/motd-link'))).toBe('motd');
    expect(await readlink(join(tree, 'bin/sh'))).toBe('/bin/busybox');
  });

  it('unpacks an uncompressed tar layer too', async () => {
    const tar = await tarOf([{ name: 'a.txt', content: 'plain' }]);
    const digest = Digest.parse(store.put(tar));
    const layer = { digest, diffId: digest, mediaType: 'application/vnd.oci.image.layer.v1.tar' };
    const snapshot = await snapshots.unpackLayer(layer);
    expect(await readFile(join(snapshot.tree, 'a.txt'), 'utf8')).toBe('plain');
    expect(snapshot.size).toBe(tar.length);
  });

  it('refuses a layer whose diff ID does not match with DIGEST_MISMATCH and leaves nothing', async () => {
    const layer = await storeLayer(store, [{ name: 'a.txt', content: 'x' }]);
    const wrong = Digest.fromBytes(Buffer.from('something else'));
    const err = await snapshots.unpackLayer({ ...layer, diffId: wrong }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('DIGEST_MISMATCH');
    expect(await leftovers()).toEqual([]);
    expect(await snapshots.listSnapshots()).toEqual([]);
  });

  it('unpacks a layer spanning many gunzip chunks byte for byte, and refuses it under a wrong diff ID', async () => {
    // 800 KB of base64 noise: several 256 KiB gunzip chunks, with entries straddling their edges.
    const big = randomBytes(600_000).toString('base64');
    const entries = [
      { name: 'big.txt', content: big },
      { name: 'after.txt', content: 'tail' },
      { name: 'big2.txt', content: big.slice(1) },
    ];
    const layer = await storeLayer(store, entries);
    const snapshot = await snapshots.unpackLayer(layer);
    expect(await readFile(join(snapshot.tree, 'big.txt'), 'utf8')).toBe(big);
    expect(await readFile(join(snapshot.tree, 'after.txt'), 'utf8')).toBe('tail');
    expect(await readFile(join(snapshot.tree, 'big2.txt'), 'utf8')).toBe(big.slice(1));
    expect(snapshot.size).toBe((await tarOf(entries)).length);

    const otherRoot = await mkdtemp(join(tmpdir(), 'snapshots-'));
    const other = new Snapshotter(store, otherRoot);
    const wrong = Digest.fromBytes(Buffer.from('not this layer'));
    const err = await other.unpackLayer({ ...layer, diffId: wrong }).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('DIGEST_MISMATCH');
    expect(await readdir(other.layout.tmp)).toEqual([]);
    expect(await other.listSnapshots()).toEqual([]);
    await rm(otherRoot, { recursive: true, force: true });
  });

  it('lets a later entry replace an earlier one: a file over a file, a directory and a symlink', async () => {
    const layer = await storeLayer(store, [
      { name: 'f', content: 'first' },
      { name: 'f', content: 'second', mode: 0o640 },
      { name: 'd/', type: 'directory' },
      { name: 'd/inner', content: 'gone' },
      { name: 'd', content: 'now a file' },
      { name: 'target', content: 'untouched' },
      { name: 'l', type: 'symlink', linkname: 'target' },
      { name: 'l', content: 'not through the link' },
    ]);
    const tree = (await snapshots.unpackLayer(layer)).tree;
    expect(await readFile(join(tree, 'f'), 'utf8')).toBe('second');
    expect((await stat(join(tree, 'f'))).mode & 0o777).toBe(0o640);
    expect(await readFile(join(tree, 'd'), 'utf8')).toBe('now a file');
    expect((await lstat(join(tree, 'l'))).isFile()).toBe(true);
    expect(await readFile(join(tree, 'l'), 'utf8')).toBe('not through the link');
    expect(await readFile(join(tree, 'target'), 'utf8')).toBe('untouched');
  });

  it('unpacks once when two callers ask for the same diff ID at the same time', async () => {
    const layer = await storeLayer(store, [{ name: 'a.txt', content: 'once' }]);
    const read = jest.spyOn(store, 'read');
    const [a, b] = await Promise.all([snapshots.unpackLayer(layer), snapshots.unpackLayer(layer)]);
    expect(a).toEqual(b);
    expect(read).toHaveBeenCalledTimes(1);
    await snapshots.unpackLayer(layer);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('publishes one snapshot when two snapshotters (two processes) unpack the same layer at once', async () => {
    const layer = await storeLayer(store, [{ name: 'a.txt', content: 'race' }]);
    const other = new Snapshotter(store, dataRoot);
    const [a, b] = await Promise.all([snapshots.unpackLayer(layer), other.unpackLayer(layer)]);
    expect(a).toEqual(b);
    expect(await readFile(join(a.tree, 'a.txt'), 'utf8')).toBe('race');
    expect(await leftovers()).toEqual([layer.diffId.hex]);
  });

  it('refuses a corrupt gzip layer with INVALID_ARGUMENT and leaves nothing', async () => {
    const layer = await storeLayer(store, [{ name: 'a.txt', content: 'x'.repeat(10_000) }]);
    const gz = store.bytes(layer.digest)!;
    const cut = Digest.parse(store.put(gz.subarray(0, gz.length - 20)));
    const err = await snapshots.unpackLayer({ ...layer, digest: cut }).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('INVALID_ARGUMENT');
    expect(await leftovers()).toEqual([]);
  });

  const hostile: [string, Parameters<typeof storeLayer>[1]][] = [
    ['a ../ entry', [{ name: '../escaped', content: 'x' }]],
    ['a nested ../ entry', [{ name: 'a/../../escaped', content: 'x' }]],
    ['an absolute entry', [{ name: '/etc/escaped', content: 'x' }]],
    [
      'a write through a symlink that points out',
      [
        { name: 'etc', type: 'symlink', linkname: '/tmp' },
        { name: 'etc/escaped', content: 'x' },
      ],
    ],
    [
      'a relative symlink that climbs out',
      [{ name: 'a/link', type: 'symlink', linkname: '../../../etc' }],
    ],
    [
      'a hardlink to outside',
      [{ name: 'passwd', type: 'link', linkname: '../../../../etc/passwd' }],
    ],
    ['an absolute hardlink', [{ name: 'passwd', type: 'link', linkname: '/etc/passwd' }]],
    ['a whiteout of ..', [{ name: 'a/.wh...' }]],
  ];
  it.each(hostile)(
    'refuses %s with INVALID_ARGUMENT and leaves nothing',
    async (_what, entries) => {
      const layer = await storeLayer(store, entries);
      const err = await snapshots.unpackLayer(layer).catch((e: unknown) => e);
      expect((err as DomainError).code).toBe('INVALID_ARGUMENT');
      expect((err as DomainError).message).toMatch(
        /invalid layer: .*refusing to unpack outside the root/,
      );
      expect(await leftovers()).toEqual([]);
      await expect(lstat('/tmp/escaped')).rejects.toThrow();
    },
  );

  it('lists snapshots with their refs and removes only unused ones', async () => {
    const layer = await storeLayer(store, [{ name: 'a.txt', content: 'x' }]);
    await snapshots.unpackLayer(layer);
    await snapshots.addRef(layer.diffId, 'c1');
    expect((await snapshots.listSnapshots()).map((s) => [s.diffId.toString(), s.refs])).toEqual([
      [layer.diffId.toString(), ['c1']],
    ]);
    await expect(snapshots.removeSnapshot(layer.diffId)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await snapshots.removeRef(layer.diffId, 'c1');
    expect(await snapshots.removeSnapshot(layer.diffId)).toBe(true);
    expect(await snapshots.listSnapshots()).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });
});
