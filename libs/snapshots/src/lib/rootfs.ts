import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Digest, DomainError } from '@stevedore/domain';
import { copySnapshot } from './copy-snapshot';
import { isRoot, run } from './exec';
import { INIT_DIR, writeInitLayer } from './init-layer';
import type { Snapshot, Snapshotter } from './snapshotter';

/** RootfsPlan is a container root: overlay options, and how it was made. */
export interface RootfsPlan {
  /** `overlay` when mounted, `copy` when the snapshots were copied into `target` instead. */
  readonly mode: 'overlay' | 'copy';
  /** Snapshot trees, top layer first (overlay's lowerdir order). */
  readonly lowerdir: readonly string[];
  readonly upperdir: string;
  readonly workdir: string;
  /** Where the merged root is: the overlay mount point, or the copied tree. */
  readonly target: string;
  /** The `-o` of `mount -t overlay`. */
  readonly options: string;
}

const RECORD = 'rootfs.json';

/**
 * prepareRootfs builds a container's root from its image's snapshots (`diffIds` bottom-first, as
 * in the image config) under `containerDir`: `upper/`, `work/`, `rootfs/`. As root it mounts
 * overlayfs; where the mount is refused (no root, no overlay, a filesystem overlay cannot sit on)
 * it copies the snapshots into `rootfs/` instead, whiteouts applied. The container (named by
 * `containerDir`'s basename) is recorded as a ref on every snapshot it uses. `overlay: false`
 * forces the copy (tests, and hosts known to refuse overlay).
 */
export async function prepareRootfs(
  snapshots: Snapshotter,
  diffIds: readonly Digest[],
  containerDir: string,
  options: { overlay?: boolean } = {},
): Promise<RootfsPlan> {
  const layers = await Promise.all(diffIds.map((id) => mustStat(snapshots, id)));
  if (await readRecord(containerDir)) {
    throw DomainError.conflict(`the root of ${containerDir} is already prepared`);
  }
  const plan = await planDirs(layers, containerDir);
  // Recorded before any ref or mount, so releaseRootfs can undo a preparation that failed midway.
  await writeRecord(containerDir, { mode: 'pending', diffIds: diffIds.map(String) });
  const owner = basename(containerDir);
  for (const layer of layers) await snapshots.addRef(layer.diffId, owner);
  const mode = await mountOrCopy(plan, layers, options.overlay !== false);
  await writeRecord(containerDir, { mode, diffIds: diffIds.map(String) });
  return { ...plan, mode };
}

interface RootfsRecord {
  readonly mode: RootfsPlan['mode'] | 'pending';
  readonly diffIds: readonly string[];
}

async function readRecord(containerDir: string): Promise<RootfsRecord | undefined> {
  const raw = await readFile(join(containerDir, RECORD), 'utf8').catch(() => undefined);
  return raw === undefined ? undefined : (JSON.parse(raw) as RootfsRecord);
}

async function writeRecord(containerDir: string, record: RootfsRecord): Promise<void> {
  const tmp = join(containerDir, `${RECORD}.tmp`);
  await writeFile(tmp, JSON.stringify(record));
  await rename(tmp, join(containerDir, RECORD));
}

/** releaseRootfs unmounts a container root, removes it and drops the container's snapshot refs. */
export async function releaseRootfs(snapshots: Snapshotter, containerDir: string): Promise<void> {
  const record = await readRecord(containerDir);
  if (record === undefined) return;
  if (record.mode === 'overlay') {
    const unmounted = await run('umount', [join(containerDir, 'rootfs')]);
    if (!unmounted.ok)
      throw DomainError.conflict(`cannot unmount ${containerDir}: ${unmounted.stderr}`);
  }
  for (const id of record.diffIds)
    await snapshots.removeRef(Digest.parse(id), basename(containerDir));
  for (const dir of ['rootfs', 'upper', 'work', 'empty', INIT_DIR, RECORD]) {
    await rm(join(containerDir, dir), { recursive: true, force: true });
  }
}

/** mountOrCopy mounts the overlay when allowed and possible, and copies the snapshots otherwise. */
async function mountOrCopy(
  plan: Omit<RootfsPlan, 'mode'>,
  layers: readonly Snapshot[],
  overlay: boolean,
): Promise<RootfsPlan['mode']> {
  if (overlay && isRoot()) {
    const mounted = await run('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      plan.options,
      plan.target,
    ]);
    if (mounted.ok) return 'overlay';
  }
  for (const layer of layers) await copySnapshot(layer.tree, plan.target, layer.opaque);
  await copySnapshot(plan.lowerdir[0] as string, plan.target, []); // the init layer
  return 'copy';
}

async function planDirs(
  layers: readonly Snapshot[],
  containerDir: string,
): Promise<Omit<RootfsPlan, 'mode'>> {
  const dirs = {
    upperdir: join(containerDir, 'upper'),
    workdir: join(containerDir, 'work'),
    target: join(containerDir, 'rootfs'),
  };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true, mode: 0o755 });
  // The init layer sits on the image (and gives an image without layers its lowerdir).
  const init = join(containerDir, INIT_DIR);
  await writeInitLayer(init);
  const lowerdir = [init, ...layers.map((l) => l.tree).reverse()];
  const options = `lowerdir=${lowerdir.join(':')},upperdir=${dirs.upperdir},workdir=${dirs.workdir}`;
  return { ...dirs, lowerdir, options };
}

async function mustStat(snapshots: Snapshotter, diffId: Digest): Promise<Snapshot> {
  const snapshot = await snapshots.stat(diffId);
  if (!snapshot) throw DomainError.notFound(`no snapshot for layer ${diffId}: unpack it first`);
  return snapshot;
}
