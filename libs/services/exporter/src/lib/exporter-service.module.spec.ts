import type { INestMicroservice } from '@nestjs/common';
import { readArchive } from '@stevedore/archive';
import type { Archives } from '@stevedore/exporter-http';
import { MediaType } from '@stevedore/domain';
import { MemoryBlobStore } from '@stevedore/testing';
import { startExporter } from '../test/exporter-harness';
import { StoredImage, storeImage } from '../test/images';
import { TarEntry, blobDigests, jsonMember, tarEntries } from '../test/tar-entries';

describe('ExporterServiceModule saves through ARCHIVES (metadata faked)', () => {
  let app: INestMicroservice | undefined;
  let archives: Archives;
  let store: MemoryBlobStore;
  let app1: StoredImage;
  let tool: StoredImage;
  let broken: StoredImage;

  beforeAll(async () => {
    store = new MemoryBlobStore();
    app1 = await storeImage(store, {
      layer: Buffer.alloc(1024),
      repoTags: ['docker.io/library/app:1.0', 'docker.io/library/app:latest'],
    });
    tool = await storeImage(store, {
      layer: Buffer.alloc(2048, 7),
      gzip: true,
      docker: true,
      repoTags: ['localhost:5000/team/tool:v2'],
    });
    // The tool image was also seen under a manifest whose blobs are gone; the save must use the stored one.
    tool.record.manifests.unshift({ ...tool.manifest, digest: `sha256:${'e'.repeat(64)}` });
    broken = await storeImage(new MemoryBlobStore(), {
      layer: Buffer.alloc(512, 1),
      repoTags: ['docker.io/library/broken:1'],
    });
    ({ app, archives } = await startExporter(store, [app1.record, tool.record, broken.record]));
  });

  afterAll(async () => {
    await app?.close();
  });

  const save = async (names: string[]): Promise<TarEntry[]> =>
    tarEntries(await archives.save({ names }));
  type Manifest = { RepoTags: string[] | null };
  type Index = { manifests: { digest: string; mediaType: string; annotations?: object }[] };

  it('saves name:tag with that tag only, holding the original blobs', async () => {
    const entries = await save(['app:1.0']);
    expect(jsonMember(entries, 'manifest.json')).toEqual([
      {
        Config: `blobs/sha256/${app1.record.id.slice(7)}`,
        RepoTags: ['app:1.0'],
        Layers: [`blobs/sha256/${app1.manifest.layers[0]?.digest.slice(7)}`],
      },
    ]);
    expect((jsonMember(entries, 'index.json') as Index).manifests).toEqual([
      {
        mediaType: MediaType.OciManifest,
        digest: app1.manifest.digest,
        size: app1.manifest.size,
        annotations: {
          'io.containerd.image.name': 'docker.io/library/app:1.0',
          'org.opencontainers.image.ref.name': '1.0',
        },
      },
    ]);
    expect(blobDigests(entries)).toEqual([
      app1.manifest.digest,
      app1.record.id,
      app1.manifest.layers[0]?.digest,
    ]);
  });

  it('saves a bare name as :latest, merges names of one image, and saves an ID untagged', async () => {
    const entries = await save(['app', 'app:1.0', 'app']);
    expect((jsonMember(entries, 'manifest.json') as Manifest[]).map((m) => m.RepoTags)).toEqual([
      ['app:latest', 'app:1.0'],
    ]);
    const byId = await save([app1.record.id, app1.record.id.slice(7, 19)]);
    expect((jsonMember(byId, 'manifest.json') as Manifest[]).map((m) => m.RepoTags)).toEqual([
      null,
    ]);
    expect((jsonMember(byId, 'index.json') as Index).manifests[0]?.annotations).toBeUndefined();
    expect(byId.some((e) => e.path === 'repositories')).toBe(false);
  });

  it('saves several images, using the manifest whose blobs the store holds', async () => {
    const entries = await save(['localhost:5000/team/tool:v2', 'app:latest']);
    expect(
      (jsonMember(entries, 'index.json') as Index).manifests.map((m) => [m.digest, m.mediaType]),
    ).toEqual([
      [tool.manifest.digest, MediaType.DockerManifest],
      [app1.manifest.digest, MediaType.OciManifest],
    ]);
    expect(jsonMember(entries, 'repositories')).toEqual({
      app: { latest: app1.manifest.layers[0]?.digest.slice(7) },
      'localhost:5000/team/tool': {
        v2: JSON.parse(tool.record.configJson).rootfs.diff_ids[0].slice(7),
      },
    });
  });

  it('saves the manifest of the platform asked for, and refuses one the image lacks', async () => {
    const entries = await save(['app:1.0']);
    const amd64 = await tarEntries(
      await archives.save({ names: ['app:1.0'], platform: 'linux/amd64' }),
    );
    expect(amd64).toEqual(entries);
    await expect(
      archives.save({ names: ['app:1.0'], platform: 'linux/arm64' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message:
        'no suitable export target found for platform linux/arm64: image with reference app:1.0 ' +
        'was found but does not provide the specified platform (linux/arm64)',
    });
  });

  it("answers docker save's errors before anything is written", async () => {
    await expect(archives.save({ names: ['nosuch:1'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'reference does not exist',
    });
    await expect(archives.save({ names: ['app:1.0', 'nosuch'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such image: nosuch',
    });
    await expect(archives.save({ names: ['broken:1'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `image ${broken.record.id} cannot be saved: blob ${broken.manifest.digest} is missing from the store`,
    });
    await expect(archives.save({ names: ['Not/Valid'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('must be lowercase'),
    });
    await expect(archives.save({ names: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('streams a tar the archive reader loads back', async () => {
    const tar = await archives.save({ names: ['app:1.0', 'localhost:5000/team/tool:v2'] });
    const { images } = await readArchive(tar, new MemoryBlobStore());
    expect(images.map((i) => [i.repoTags, i.configDigest, i.manifest.digest])).toEqual([
      [['docker.io/library/app:1.0'], app1.record.id, app1.manifest.digest],
      [['localhost:5000/team/tool:v2'], tool.record.id, tool.manifest.digest],
    ]);
  });
});
