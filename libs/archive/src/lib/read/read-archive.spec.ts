import { Digest, MediaType } from '@stevedore/domain';
import { T4_BLOBS, compress, load, saveArchive, t5Members } from '../../test/archives';
import { MemoryBlobStore } from '@stevedore/testing';
import { T4, putT4 } from '../../test/t4-vectors';
import { TarMember, tarOf } from '../../test/tar-helpers';

const V1_A = 'a'.repeat(64);
const V1_B = 'b'.repeat(64);
const hexOf = (digest: string) => digest.slice('sha256:'.length);

async function t5Variant(edit: (members: TarMember[]) => TarMember[]): Promise<Buffer> {
  return tarOf(edit(await t5Members()));
}

function withoutAnnotations(members: TarMember[]): TarMember[] {
  return members.map((m) => {
    if (m.name !== 'index.json') return m;
    const index = JSON.parse(String(m.data));
    for (const d of index.manifests) delete d.annotations;
    return { ...m, data: JSON.stringify(index) };
  });
}

/** A Docker ≤ 24 archive (T6 shape): the second image's layer.tar is a relative symlink to the first's. */
async function legacyArchive(layersOfSecond = 1): Promise<{ bytes: Buffer; otherConfig: string }> {
  const otherConfig = T4.config.replace('"Cmd":["/bin/sh"]', '"Cmd":["/bin/ls"]');
  const otherHex = Digest.fromBytes(Buffer.from(otherConfig)).hex;
  const bytes = await tarOf([
    { name: `${V1_A}/`, type: 'directory' },
    { name: `${V1_A}/VERSION`, data: '1.0' },
    { name: `${V1_A}/json`, data: '{"id":"x"}' },
    { name: `${V1_A}/layer.tar`, data: T4.layer },
    { name: `${V1_B}/`, type: 'directory' },
    { name: `${V1_B}/layer.tar`, type: 'symlink', linkname: `../${V1_A}/layer.tar` },
    { name: `${hexOf(T4.configDigest)}.json`, data: T4.config },
    { name: `${otherHex}.json`, data: otherConfig },
    {
      name: 'manifest.json',
      data: JSON.stringify([
        {
          Config: `${hexOf(T4.configDigest)}.json`,
          RepoTags: ['app:1.0'],
          Layers: [`${V1_A}/layer.tar`],
        },
        {
          Config: `${otherHex}.json`,
          RepoTags: ['example.com:5000/team/other:2'],
          Layers: Array(layersOfSecond).fill(`${V1_B}/layer.tar`),
        },
      ]),
    },
    { name: 'repositories', data: `{"app":{"1.0":"${V1_A}"}}` },
  ]);
  return { bytes, otherConfig };
}

describe('readArchive', () => {
  it('loads our save of T4 through its OCI index and commits exactly its three blobs', async () => {
    const store = new MemoryBlobStore();
    const source = new MemoryBlobStore();
    const { images } = await load(await saveArchive(source, [putT4(source)]), store);
    expect(images).toEqual([
      {
        repoTags: ['docker.io/library/app:1.0'],
        configDigest: T4.configDigest,
        configJson: T4.config,
        manifest: {
          digest: T4.manifestDigest,
          mediaType: MediaType.OciManifest,
          size: 397,
          platform: { os: 'linux', architecture: 'amd64' },
          config: { mediaType: MediaType.OciConfig, digest: T4.configDigest, size: 329 },
          layers: [{ mediaType: MediaType.OciLayer, digest: T4.layerDigest, size: 1024 }],
        },
      },
    ]);
    expect(store.committed().sort()).toEqual(T4_BLOBS);
    expect(store.pending.size).toBe(0);
    expect(store.bytes(T4.manifestDigest)?.toString()).toBe(T4.manifest);
  });

  it.each(['gzip', 'bzip2', 'xz', 'zstd'] as const)(
    'loads the same archive %s-compressed',
    async (how) => {
      const source = new MemoryBlobStore();
      const store = new MemoryBlobStore();
      const { images } = await load(
        compress(await saveArchive(source, [putT4(source)]), how),
        store,
      );
      expect(images.map((i) => [i.repoTags, i.configDigest, i.manifest.digest])).toEqual([
        [['docker.io/library/app:1.0'], T4.configDigest, T4.manifestDigest],
      ]);
      expect(store.committed().sort()).toEqual(T4_BLOBS);
    },
  );

  it('loads a legacy archive, following a layer.tar symlink, under synthesised Docker manifests', async () => {
    const store = new MemoryBlobStore();
    const { bytes, otherConfig } = await legacyArchive();
    const { images } = await load(bytes, store);
    expect(images.map((i) => i.repoTags)).toEqual([
      ['docker.io/library/app:1.0'],
      ['example.com:5000/team/other:2'],
    ]);
    expect(images.map((i) => i.configJson)).toEqual([T4.config, otherConfig]);
    for (const image of images) {
      expect(image.manifest.mediaType).toBe(MediaType.DockerManifest);
      expect(image.manifest.layers).toEqual([
        { mediaType: MediaType.DockerLayer, digest: T4.layerDigest, size: 1024 },
      ]);
      const stored = JSON.parse(store.bytes(image.manifest.digest)?.toString() ?? 'null');
      expect(stored.config).toEqual({
        mediaType: MediaType.DockerConfig,
        digest: image.configDigest,
        size: image.configJson.length,
      });
      expect(stored.layers).toEqual(image.manifest.layers);
    }
    // Two configs, one shared layer, two manifests; the legacy VERSION/json files are not kept.
    expect(store.committed()).toHaveLength(5);
  });

  it('names entries from manifest.json when index.json gives none, and leaves unnamed images untagged', async () => {
    const named = await load(await t5Variant(withoutAnnotations), new MemoryBlobStore());
    expect(named.images[0]?.repoTags).toEqual(['docker.io/library/app:1.0']);
    const bare = await t5Variant((ms) =>
      withoutAnnotations(ms).map((m) =>
        m.name === 'manifest.json'
          ? { ...m, data: String(m.data).replace('["app:1.0"]', 'null') }
          : m,
      ),
    );
    const untagged = await load(bare, new MemoryBlobStore());
    expect(untagged.images.map((i) => [i.repoTags, i.configDigest])).toEqual([
      [[], T4.configDigest],
    ]);
  });

  it('loads a pure OCI layout (no manifest.json), as containerd does', async () => {
    const layoutOnly = await t5Variant((ms) =>
      ms.filter((m) => m.name !== 'manifest.json' && m.name !== 'repositories'),
    );
    const { images } = await load(layoutOnly, new MemoryBlobStore());
    expect(images.map((i) => i.repoTags)).toEqual([['docker.io/library/app:1.0']]);
  });

  it('reads manifest.json when oci-layout has an unknown version, and refuses the layout alone', async () => {
    const v2 = (ms: TarMember[]) =>
      ms.map((m) =>
        m.name === 'oci-layout' ? { ...m, data: '{"imageLayoutVersion":"2.0.0"}' } : m,
      );
    const viaManifest = await load(await t5Variant(v2), new MemoryBlobStore());
    expect(viaManifest.images[0]?.manifest.mediaType).toBe(MediaType.DockerManifest);
    const alone = await t5Variant((ms) => v2(ms).filter((m) => m.name !== 'manifest.json'));
    await expect(load(alone, new MemoryBlobStore())).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: 'unsupported OCI version 2.0.0',
    });
  });

  it("refuses a manifest.json listing more layers than DiffIDs with Docker's message", async () => {
    const store = new MemoryBlobStore();
    const { bytes } = await legacyArchive(2);
    await expect(load(bytes, store)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'invalid manifest, layers length mismatch: expected 2, got 1',
    });
    expect(store.committed()).toEqual([]);
    expect(store.pending.size).toBe(0);
  });

  it('refuses a layer whose content is not the DiffID its config names', async () => {
    const bytes = await tarOf([
      { name: 'layer.tar', data: Buffer.alloc(1024, 1) },
      { name: 'config.json', data: T4.config },
      {
        name: 'manifest.json',
        data: JSON.stringify([
          { Config: 'config.json', RepoTags: ['app:1.0'], Layers: ['layer.tar'] },
        ]),
      },
    ]);
    await expect(load(bytes, new MemoryBlobStore())).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^invalid diffID for layer 0: expected "sha256:5f70bf18/),
    });
  });

  it('refuses archives that are neither docker-save nor OCI layouts, and a null manifest.json', async () => {
    await expect(
      load(await tarOf([{ name: 'hello.txt', data: 'hi' }]), new MemoryBlobStore()),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'invalid archive: does not contain a manifest.json or an OCI index.json',
    });
    await expect(
      load(await tarOf([{ name: 'manifest.json', data: 'null' }]), new MemoryBlobStore()),
    ).rejects.toMatchObject({
      message: 'invalid manifest, manifest cannot be null (but can be [])',
    });
  });

  it('waits for a concurrent writer of the same blob (a pull) instead of failing', async () => {
    const source = new MemoryBlobStore();
    const bytes = await saveArchive(source, [putT4(source)]);
    const store = new MemoryBlobStore();
    const held = await store.ingest({ digest: Digest.parse(T4.layerDigest), size: 1024 });
    const loading = load(bytes, store);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await held.write(T4.layer);
    await held.commit();
    const { images } = await loading;
    expect(images[0]?.configDigest).toBe(T4.configDigest);
    expect(store.committed().sort()).toEqual(T4_BLOBS);
  });

  it('loads the platform it finds in a multi-platform index whose other platforms were never pulled', async () => {
    const amd64 = {
      mediaType: MediaType.OciManifest,
      digest: T4.manifestDigest,
      size: 397,
      platform: { os: 'linux', architecture: 'amd64' },
    };
    const arm64 = {
      ...amd64,
      digest: `sha256:${'c'.repeat(64)}`,
      platform: { os: 'linux', architecture: 'arm64' },
    };
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [arm64, amd64],
    });
    const indexDigest = Digest.fromBytes(Buffer.from(index));
    const layout = await t5Variant((ms) => [
      ...ms.filter((m) => m.name !== 'index.json' && m.name !== 'manifest.json'),
      { name: `blobs/sha256/${indexDigest.hex}`, data: index },
      {
        name: 'index.json',
        data: JSON.stringify({
          schemaVersion: 2,
          manifests: [
            {
              mediaType: MediaType.OciIndex,
              digest: indexDigest.toString(),
              size: index.length,
              annotations: { 'io.containerd.image.name': 'docker.io/library/multi:1' },
            },
          ],
        }),
      },
    ]);
    const store = new MemoryBlobStore();
    const { images } = await load(layout, store, {
      platform: { os: 'linux', architecture: 'amd64' },
    });
    expect(images.map((i) => [i.repoTags, i.manifest.digest, i.manifest.indexDigest])).toEqual([
      [['docker.io/library/multi:1'], T4.manifestDigest, indexDigest.toString()],
    ]);
    expect(store.committed()).toContain(indexDigest.toString());
    await expect(
      load(layout, new MemoryBlobStore(), { platform: { os: 'linux', architecture: 'arm64' } }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'requested platform (linux/arm64) not found: image might be filtered out',
    });
  });
});
