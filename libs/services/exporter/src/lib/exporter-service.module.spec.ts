import { Global, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { PassThrough } from 'node:stream';
import { readArchive, writeArchive } from '@stevedore/archive';
import { BLOB_STORE } from '@stevedore/blob-port';
import { ArchiveEntryV1, ArchivePlanV1, PLAN_ARCHIVE_V1 } from '@stevedore/contracts';
import { MediaType } from '@stevedore/domain';
import {
  Bus,
  InProcessBroker,
  InProcessClient,
  InProcessServer,
  MessagingModule,
  configureMessageHandlers,
} from '@stevedore/messaging';
import { MemoryBlobStore } from '@stevedore/testing';
import { fakeMetadataModule } from '../test/fake-metadata';
import { StoredImage, storeImage } from '../test/images';
import { UpstreamModule } from '@stevedore/registry-client';
import { ExporterServiceModule } from './exporter-service.module';

describe('ExporterServiceModule over the in-process bus (metadata faked)', () => {
  let app: INestMicroservice | undefined;
  let bus: Bus;
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
    const broker = new InProcessBroker();

    @Global()
    @Module({ providers: [{ provide: BLOB_STORE, useValue: store }], exports: [BLOB_STORE] })
    class StoreModule {}

    @Module({
      imports: [
        MessagingModule.forRoot({ kind: 'in-process', broker }),
        StoreModule,
        // The real registry client (pushes are covered end to end against the testbed registry).
        UpstreamModule.forRoot({
          registryMirrors: [],
          insecureRegistries: [],
          importUrlAllowlist: [],
        }),
        ExporterServiceModule.forRoot(),
        fakeMetadataModule([app1.record, tool.record, broken.record]),
      ],
    })
    class Host {}

    app = await NestFactory.createMicroservice<MicroserviceOptions>(Host, {
      strategy: new InProcessServer(broker),
      logger: false,
    });
    configureMessageHandlers(app);
    await app.listen();
    const client = new InProcessClient(broker);
    bus = new Bus(() => client);
  });

  afterAll(async () => {
    await app?.close();
  });

  const plan = (images: string[]) => bus.send<ArchivePlanV1>(PLAN_ARCHIVE_V1, { images });
  const text = (entries: ArchiveEntryV1[], path: string) => {
    const entry = entries.find((e) => e.path === path);
    return entry?.kind === 'text' ? JSON.parse(entry.text) : undefined;
  };

  it('plans a save of name:tag with that tag only, naming the original blobs', async () => {
    const { entries } = await plan(['app:1.0']);
    expect(text(entries, 'manifest.json')).toEqual([
      {
        Config: `blobs/sha256/${app1.record.id.slice(7)}`,
        RepoTags: ['app:1.0'],
        Layers: [`blobs/sha256/${app1.manifest.layers[0]?.digest.slice(7)}`],
      },
    ]);
    expect(text(entries, 'index.json').manifests).toEqual([
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
    expect(
      entries.filter((e) => e.kind === 'blob').map((e) => (e.kind === 'blob' ? e.digest : '')),
    ).toEqual([app1.manifest.digest, app1.record.id, app1.manifest.layers[0]?.digest]);
  });

  it('saves a bare name as :latest, merges names of one image, and saves an ID untagged', async () => {
    const { entries } = await plan(['app', 'app:1.0', 'app']);
    expect(text(entries, 'manifest.json').map((m: { RepoTags: string[] }) => m.RepoTags)).toEqual([
      ['app:latest', 'app:1.0'],
    ]);
    const byId = await plan([app1.record.id, app1.record.id.slice(7, 19)]);
    expect(
      text(byId.entries, 'manifest.json').map((m: { RepoTags: string[] | null }) => m.RepoTags),
    ).toEqual([null]);
    expect(text(byId.entries, 'index.json').manifests[0].annotations).toBeUndefined();
    expect(byId.entries.some((e) => e.path === 'repositories')).toBe(false);
  });

  it('saves several images, using the manifest whose blobs the store holds', async () => {
    const { entries } = await plan(['localhost:5000/team/tool:v2', 'app:latest']);
    expect(
      text(entries, 'index.json').manifests.map((m: { digest: string; mediaType: string }) => [
        m.digest,
        m.mediaType,
      ]),
    ).toEqual([
      [tool.manifest.digest, MediaType.DockerManifest],
      [app1.manifest.digest, MediaType.OciManifest],
    ]);
    expect(text(entries, 'repositories')).toEqual({
      app: { latest: app1.manifest.layers[0]?.digest.slice(7) },
      'localhost:5000/team/tool': {
        v2: JSON.parse(tool.record.configJson).rootfs.diff_ids[0].slice(7),
      },
    });
  });

  it("answers docker save's errors before anything is written", async () => {
    await expect(plan(['nosuch:1'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'reference does not exist',
    });
    await expect(plan(['app:1.0', 'nosuch'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such image: nosuch',
    });
    await expect(plan(['broken:1'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `image ${broken.record.id} cannot be saved: blob ${broken.manifest.digest} is missing from the store`,
    });
    await expect(plan(['Not/Valid'])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('must be lowercase'),
    });
    await expect(plan([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('produces a plan the archive writer streams and the archive reader loads back', async () => {
    const { entries } = await plan(['app:1.0', 'localhost:5000/team/tool:v2']);
    const out = new PassThrough();
    const loading = readArchive(out, new MemoryBlobStore());
    await writeArchive({ entries }, store, out);
    const { images } = await loading;
    expect(images.map((i) => [i.repoTags, i.configDigest, i.manifest.digest])).toEqual([
      [['docker.io/library/app:1.0'], app1.record.id, app1.manifest.digest],
      [['localhost:5000/team/tool:v2'], tool.record.id, tool.manifest.digest],
    ]);
  });
});
