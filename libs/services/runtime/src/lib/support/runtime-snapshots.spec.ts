import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { ImageRecord } from '@stevedore/contracts';
import { Digest, DomainError, MediaType } from '@stevedore/domain';
import { MemoryBlobStore } from '@stevedore/testing';
import { RuntimeSnapshots } from './runtime-snapshots';

/** layerOf stores a gzip layer of one file and returns its manifest entry and diff ID. */
async function layerOf(store: MemoryBlobStore, name: string, content: string) {
  const tar = pack();
  tar.entry({ name, mode: 0o644, mtime: new Date('2020-01-02T03:04:05Z') }, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const gz = gzipSync(bytes);
  const digest = store.put(gz);
  return {
    manifest: { mediaType: MediaType.OciLayerGzip, digest, size: gz.length },
    diffId: Digest.fromBytes(bytes),
  };
}

function imageOf(layers: ImageRecord['manifests'][number]['layers']): ImageRecord {
  return {
    id: `sha256:${'c'.repeat(64)}`,
    repoTags: [],
    repoDigests: [],
    manifests: [
      {
        digest: `sha256:${'d'.repeat(64)}`,
        mediaType: MediaType.OciManifest,
        size: 1,
        platform: { os: 'linux', architecture: 'amd64' },
        config: { mediaType: MediaType.OciConfig, digest: `sha256:${'c'.repeat(64)}`, size: 1 },
        layers,
      },
    ],
    created: '2020-01-02T03:04:05Z',
    addedAt: '2020-01-02T03:04:05Z',
    size: 0,
    labels: {},
    os: 'linux',
    architecture: 'amd64',
    configJson: '{}',
  };
}

describe('RuntimeSnapshots.unpackImage', () => {
  let dataRoot: string;
  let store: MemoryBlobStore;
  let snapshots: RuntimeSnapshots;

  beforeEach(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'runtime-snapshots-'));
    store = new MemoryBlobStore();
    snapshots = new RuntimeSnapshots(store, dataRoot);
  });
  afterEach(() => rm(dataRoot, { recursive: true, force: true }));

  it('unpacks every layer of an image into its own snapshot', async () => {
    const layers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((n) => layerOf(store, `${n}.txt`, n.repeat(100))),
    );
    await snapshots.unpackImage(
      imageOf(layers.map((l) => l.manifest)),
      layers.map((l) => l.diffId),
    );
    const listed = await snapshots.snapshotter.listSnapshots();
    expect(listed.map((s) => s.diffId.toString()).sort()).toEqual(
      layers.map((l) => l.diffId.toString()).sort(),
    );
    for (const [i, n] of ['a', 'b', 'c', 'd'].entries()) {
      const snapshot = await snapshots.snapshotter.stat(layers[i]!.diffId);
      expect(await readFile(join(snapshot!.tree, `${n}.txt`), 'utf8')).toBe(n.repeat(100));
    }
  });

  it('fails with DIGEST_MISMATCH for a layer with a wrong diff ID, leaving nothing of it and publishing the others', async () => {
    // The good layers are big, so the bad one fails while they are still unpacking.
    const noise = randomBytes(3_000_000).toString('base64');
    const layers = [
      await layerOf(store, 'a.txt', noise),
      await layerOf(store, 'b.txt', 'b'),
      await layerOf(store, 'c.txt', noise.slice(1)),
    ];
    const wrong = Digest.fromBytes(Buffer.from('not layer b'));
    const diffIds = [layers[0]!.diffId, wrong, layers[2]!.diffId];
    const err = await snapshots
      .unpackImage(imageOf(layers.map((l) => l.manifest)), diffIds)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('DIGEST_MISMATCH');
    // Settled on return: nothing still unpacking, no half snapshot in tmp/, the good two published.
    expect(await readdir(snapshots.snapshotter.layout.tmp)).toEqual([]);
    expect(await snapshots.snapshotter.stat(wrong)).toBeUndefined();
    const listed = await snapshots.snapshotter.listSnapshots();
    expect(listed.map((s) => s.diffId.toString()).sort()).toEqual(
      [layers[0]!.diffId, layers[2]!.diffId].map(String).sort(),
    );
  });
});
