import { lstat, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBlobStore } from '@stevedore/testing';
import { storeLayer } from '../test/layers';
import { releaseRootfs, prepareRootfs } from './rootfs';
import { Snapshotter, type LayerToUnpack } from './snapshotter';

const asRoot = process.getuid?.() === 0;
// Whiteouts are character devices (mknod) and overlay mounts need CAP_SYS_ADMIN.
const rootOnly = asRoot ? describe : describe.skip;

rootOnly(`prepareRootfs${asRoot ? '' : ' (skipped: needs root)'}`, () => {
  let dataRoot: string;
  let snapshots: Snapshotter;
  let layers: LayerToUnpack[];
  const containers: string[] = [];

  beforeAll(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'rootfs-'));
    const store = new MemoryBlobStore();
    snapshots = new Snapshotter(store, dataRoot);
    layers = [
      await storeLayer(store, [
        { name: 'a.txt', content: 'lower a' },
        { name: 'b.txt', content: 'lower b' },
        { name: 'd/', type: 'directory' },
        { name: 'd/old.txt', content: 'hidden by opaque' },
        { name: 'e/keep.txt', content: 'kept' },
      ]),
      await storeLayer(store, [
        { name: '.wh.a.txt' },
        { name: 'd/', type: 'directory' },
        { name: 'd/.wh..wh..opq' },
        { name: 'd/new.txt', content: 'upper' },
        { name: 'e/.wh.missing' },
      ]),
    ];
    for (const layer of layers) await snapshots.unpackLayer(layer);
  });
  afterAll(async () => {
    for (const dir of containers) await releaseRootfs(snapshots, dir).catch(() => undefined);
    await rm(dataRoot, { recursive: true, force: true });
  });

  async function container(name: string): Promise<string> {
    const dir = join(dataRoot, 'containers', name);
    containers.push(dir);
    return dir;
  }

  it('stores whiteouts in overlay form in the upper snapshot', async () => {
    const upper = await snapshots.stat(layers[1]!.diffId);
    const whiteout = await lstat(join(upper!.tree, 'a.txt'));
    expect(whiteout.isCharacterDevice() && whiteout.rdev === 0).toBe(true);
    expect(upper!.opaque).toEqual(['d']);
    expect(await readdir(upper!.tree)).not.toContain('.wh.a.txt');
  });

  it.each([
    ['a real overlay mount', true, 'overlay'],
    ['the copying fallback', false, 'copy'],
  ] as const)(
    'merges the layers with %s: a deleted file is gone, an opaque dir hides the lower',
    async (_what, overlay, mode) => {
      const dir = await container(`c-${mode}`);
      const diffIds = layers.map((l) => l.diffId);
      const plan = await prepareRootfs(snapshots, diffIds, dir, { overlay });
      expect(plan.mode).toBe(mode);
      expect(plan.lowerdir).toEqual([
        join(dir, 'init'),
        ...[...diffIds].reverse().map((id) => join(dataRoot, 'snapshots', 'sha256', id.hex, 'fs')),
      ]);
      const root = plan.target;
      // The image's files, and dockerd's init layer (the mount points runc binds over) on top.
      expect((await readdir(root)).sort()).toEqual(
        ['.dockerenv', 'b.txt', 'd', 'dev', 'e', 'etc', 'proc', 'sys'].sort(),
      );
      expect(await readdir(join(root, 'd'))).toEqual(['new.txt']);
      expect(await readFile(join(root, 'e/keep.txt'), 'utf8')).toBe('kept');
      await writeFile(join(root, 'b.txt'), 'changed in the container');
      expect(await readFile(join(snapshots.layout.snapshot(diffIds[0]!), 'fs/b.txt'), 'utf8')).toBe(
        'lower b',
      );
    },
  );

  it('refuses to prepare a root twice', async () => {
    const dir = await container('c-twice');
    await prepareRootfs(snapshots, [layers[0]!.diffId], dir, { overlay: false });
    await expect(prepareRootfs(snapshots, [layers[0]!.diffId], dir)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('holds a ref on each snapshot while a container uses it, and drops it on release', async () => {
    const dir = await container('c-refs');
    await prepareRootfs(snapshots, [layers[0]!.diffId], dir);
    await expect(snapshots.removeSnapshot(layers[0]!.diffId)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    for (const other of containers) await releaseRootfs(snapshots, other);
    expect((await snapshots.listSnapshots()).map((s) => s.refs)).toEqual([[], []]);
    expect(await snapshots.removeSnapshot(layers[0]!.diffId)).toBe(true);
  });
});
