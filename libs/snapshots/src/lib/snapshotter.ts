import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobReader } from '@stevedore/blob-port';
import { Digest, DigestVerifier, DomainError } from '@stevedore/domain';
import { applyTar } from './apply-tar';
import { hashing, uncompressed } from './decompress';
import { run } from './exec';
import { SnapshotLayout, type SnapshotMeta } from './layout';

/** LayerToUnpack is a layer descriptor (compressed digest, media type) and its image config diff ID. */
export interface LayerToUnpack {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly diffId: Digest;
}

/** Snapshot is one unpacked layer and who uses it. */
export interface Snapshot {
  readonly diffId: Digest;
  /** The unpacked tree (an overlay lowerdir). */
  readonly tree: string;
  readonly size: number;
  readonly opaque: readonly string[];
  /** Containers holding it; a snapshot with refs is never removed. */
  readonly refs: readonly string[];
}

const OWNER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Snapshotter keeps the unpacked layers under `<dataRoot>/snapshots` (see {@link SnapshotLayout}).
 * Unpacks of one diff ID in this process share one promise; across processes the publishing rename
 * decides and the loser discards its copy.
 */
export class Snapshotter {
  readonly layout: SnapshotLayout;
  private readonly unpacking = new Map<string, Promise<Snapshot>>();

  constructor(
    private readonly blobs: BlobReader,
    dataRoot: string,
  ) {
    this.layout = new SnapshotLayout(dataRoot);
  }

  /**
   * unpackLayer unpacks a layer once into the snapshot of its diff ID, verifying the diff ID while
   * it streams: a mismatch throws DIGEST_MISMATCH, a hostile entry INVALID_ARGUMENT, and either
   * leaves no snapshot behind.
   */
  unpackLayer(layer: LayerToUnpack): Promise<Snapshot> {
    const key = layer.diffId.toString();
    const running = this.unpacking.get(key);
    if (running) return running;
    const work = this.unpackOnce(layer).finally(() => this.unpacking.delete(key));
    this.unpacking.set(key, work);
    return work;
  }

  /** stat returns the snapshot of `diffId`, or undefined when it is not unpacked. */
  async stat(diffId: Digest): Promise<Snapshot | undefined> {
    const dir = this.layout.snapshot(diffId);
    const raw = await readFile(SnapshotLayout.meta(dir), 'utf8').catch(() => undefined);
    if (raw === undefined) return undefined;
    const meta = JSON.parse(raw) as SnapshotMeta;
    const refs = (await readdir(SnapshotLayout.refs(dir)).catch(() => [])).sort();
    return { diffId, tree: SnapshotLayout.tree(dir), size: meta.size, opaque: meta.opaque, refs };
  }

  /** listSnapshots lists every unpacked snapshot with its refs (what a collector reads). */
  async listSnapshots(): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    const hexes = await readdir(join(this.layout.root, 'sha256')).catch(() => []);
    for (const hex of hexes.sort()) {
      const snapshot = await this.stat(Digest.parse(`sha256:${hex}`));
      if (snapshot) out.push(snapshot);
    }
    return out;
  }

  /** removeSnapshot deletes an unused snapshot; CONFLICT while a container holds it. */
  async removeSnapshot(diffId: Digest): Promise<boolean> {
    const snapshot = await this.stat(diffId);
    if (snapshot === undefined) return false;
    if (snapshot.refs.length > 0) {
      throw DomainError.conflict(`snapshot ${diffId} is in use by ${snapshot.refs.join(', ')}`);
    }
    // Renamed away first, so a crash mid-delete never leaves a half snapshot under its name.
    const doomed = await this.tempDir('remove-');
    await rename(this.layout.snapshot(diffId), join(doomed, 'snapshot'));
    await rm(doomed, { recursive: true, force: true });
    return true;
  }

  /** addRef records that `owner` (a container ID) uses the snapshot. */
  async addRef(diffId: Digest, owner: string): Promise<void> {
    if (!OWNER.test(owner))
      throw DomainError.invalidArgument(`invalid snapshot owner ${JSON.stringify(owner)}`);
    if ((await this.stat(diffId)) === undefined)
      throw DomainError.notFound(`no snapshot for ${diffId}`);
    await writeFile(join(SnapshotLayout.refs(this.layout.snapshot(diffId)), owner), '');
  }

  async removeRef(diffId: Digest, owner: string): Promise<void> {
    if (!OWNER.test(owner)) return;
    await rm(join(SnapshotLayout.refs(this.layout.snapshot(diffId)), owner), { force: true });
  }

  /** reclaimTemp removes what crashed unpacks and removals left in `tmp/` (call at start-up). */
  async reclaimTemp(): Promise<void> {
    await rm(this.layout.tmp, { recursive: true, force: true });
  }

  private async unpackOnce(layer: LayerToUnpack): Promise<Snapshot> {
    const existing = await this.stat(layer.diffId);
    if (existing) return existing;
    const tmp = await this.tempDir('unpack-');
    try {
      await this.unpackInto(layer, tmp);
      await publish(tmp, this.layout.snapshot(layer.diffId));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    const published = await this.stat(layer.diffId);
    if (!published) throw DomainError.internal(`snapshot ${layer.diffId} vanished after unpack`);
    return published;
  }

  private async unpackInto(layer: LayerToUnpack, tmp: string): Promise<void> {
    const tree = SnapshotLayout.tree(tmp);
    await mkdir(tree, { mode: 0o755 });
    await mkdir(SnapshotLayout.refs(tmp));
    const verifier = new DigestVerifier(layer.diffId);
    const blob = await this.blobs.read(layer.digest);
    const applied = await applyTar(hashing(uncompressed(blob, layer.mediaType), verifier), tree);
    verifier.verify();
    const meta: SnapshotMeta = {
      diffId: layer.diffId.toString(),
      size: verifier.bytes,
      opaque: applied.opaque,
    };
    await writeFile(SnapshotLayout.meta(tmp), JSON.stringify(meta));
  }

  private async tempDir(prefix: string): Promise<string> {
    await mkdir(this.layout.tmp, { recursive: true });
    return mkdtemp(join(this.layout.tmp, prefix));
  }
}

/**
 * publish makes the unpacked `tmp` durable (one syncfs of its filesystem rather than an fsync per
 * file) and renames it to `dir`. Another process that published first wins: its rename made `dir`
 * non-empty, ours fails, and the caller discards `tmp`.
 */
async function publish(tmp: string, dir: string): Promise<void> {
  const synced = await run('sync', ['-f', tmp]);
  if (!synced.ok) throw DomainError.internal(`sync ${tmp}: ${synced.stderr}`);
  await mkdir(dirname(dir), { recursive: true });
  try {
    await rename(tmp, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  }
  await run('sync', ['-f', dirname(dir)]);
}
