import type { INestMicroservice } from '@nestjs/common';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { HttpArchives } from '@stevedore/exporter-http';
import { requireInternalToken } from '@stevedore/internal-http';
import { MemoryBlobStore } from '@stevedore/testing';
import { startExporter } from '../../test/exporter-harness';
import { FakeLeases } from '../../test/fake-metadata';
import { StoredImage, storeImage } from '../../test/images';
import { createArchivesHttpHandler } from './archives-http.handler';

const TOKEN = 'archives-http-spec-token-0123456789abcdef';

/** until polls `condition` (the server works on its own schedule) for up to 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5000) throw new Error('timed out waiting for the exporter');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** tarOf packs small members (tests only). */
async function tarOf(members: { name: string; data: string | Buffer }[]): Promise<Buffer> {
  const tar = pack();
  for (const { name, data } of members) tar.entry({ name }, data);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as unknown as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// The cluster's archive path: the HTTP client against the real handler over the real use-cases.
describe('HttpArchives → the exporter’s internal endpoint (metadata faked)', () => {
  let app: INestMicroservice | undefined;
  let server: Server;
  let client: HttpArchives;
  let store: MemoryBlobStore;
  let leases: FakeLeases;
  let app1: StoredImage;
  let tool: StoredImage;

  beforeAll(async () => {
    store = new MemoryBlobStore();
    app1 = await storeImage(store, {
      layer: Buffer.alloc(1024),
      repoTags: ['docker.io/library/app:1.0'],
    });
    tool = await storeImage(store, { layer: Buffer.alloc(64, 3), repoTags: [] });
    const exporter = await startExporter(store, [app1.record, tool.record]);
    app = exporter.app;
    leases = exporter.leases;
    server = createServer(
      requireInternalToken(createArchivesHttpHandler(exporter.archives), TOKEN),
    );
    const url = await listen(server);
    // A replica that is down comes first in turn: the client must skip it.
    const down = createServer();
    const downUrl = await listen(down);
    await new Promise((resolve) => down.close(resolve));
    client = new HttpArchives([url, downUrl], TOKEN);
  });

  afterAll(async () => {
    await client?.close();
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
  });

  it('saves a tar and loads it back, saying which image the tag moved off', async () => {
    const tar = await client.save({ names: ['app:1.0'] });
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    // Meanwhile app:1.0 went to the other image; loading the tar moves it back.
    app1.record.repoTags = [];
    tool.record.repoTags = ['docker.io/library/app:1.0'];
    const before = store.committed();
    const loaded = await client.load(Readable.from(Buffer.concat(chunks)), {});
    expect(loaded).toEqual({
      images: [
        {
          id: app1.record.id,
          tags: [{ tag: 'docker.io/library/app:1.0', previousImageId: tool.record.id }],
        },
      ],
    });
    expect(app1.record.repoTags).toEqual(['docker.io/library/app:1.0']);
    expect(store.committed()).toEqual(before);
    // Its blobs were held against garbage collection until recorded, and let go after.
    expect(leases.recordedHeld.at(-1)).toBe(true);
    expect(leases.live.size).toBe(0);
  });

  it("records an image's tags in one metadata message, however many the archive gives", async () => {
    app1.record.repoTags = ['docker.io/library/app:1.0', 'docker.io/library/app:2.0'];
    const tar = await client.save({ names: ['app:1.0', 'app:2.0'] });
    const records = leases.recordedHeld.length;
    const loaded = await client.load(tar, {});
    expect(loaded.images).toEqual([
      {
        id: app1.record.id,
        tags: [{ tag: 'docker.io/library/app:1.0' }, { tag: 'docker.io/library/app:2.0' }],
      },
    ]);
    expect(leases.recordedHeld.length).toBe(records + 1);
    app1.record.repoTags = ['docker.io/library/app:1.0'];
  });

  it('answers a save of an unknown name with NOT_FOUND instead of a tar', async () => {
    await expect(client.save({ names: ['app:1.0', 'nosuch:1'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'reference does not exist',
    });
  });

  it('refuses a hostile archive and stores nothing', async () => {
    const before = store.committed();
    const hostile = await tarOf([
      { name: 'oci-layout', data: '{"imageLayoutVersion": "1.0.0"}' },
      { name: 'blobs/../../escape', data: 'evil' },
    ]);
    await expect(client.load(Readable.from(hostile), {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/escapes the archive/),
    });
    expect(store.committed()).toEqual(before);
    expect(store.pending.size).toBe(0);
  });

  it('stops a load when its caller goes away, keeping nothing', async () => {
    const blob = Buffer.alloc(256 * 1024, 9);
    const digest = createHash('sha256').update(blob).digest('hex');
    const tar = await tarOf([{ name: `blobs/sha256/${digest}`, data: blob }]);
    const archive = new PassThrough();
    archive.write(tar.subarray(0, 128 * 1024)); // half a blob, then the caller hangs
    const gone = new AbortController();
    const loading = client.load(archive, {}, gone.signal);
    await until(() => store.pending.size > 0);
    gone.abort();
    await expect(loading).rejects.toThrow();
    await until(() => store.pending.size === 0);
    expect(store.bytes(`sha256:${digest}`)).toBeUndefined();
  });

  it('imports a root filesystem tar with its changes, and refuses a URL off the allow-list', async () => {
    const rootfs = await tarOf([{ name: 'etc/hostname', data: 'imported\n' }]);
    const request = { fromSrc: '-', repo: 'imported:1', changes: ['ENV A=1', 'CMD ["sh"]'] };
    const { id } = await client.importRootfs(Readable.from(rootfs), request);
    const config = JSON.parse(store.bytes(id)?.toString('utf8') ?? '{}');
    expect(config.config).toEqual({ Env: ['A=1'], Cmd: ['sh'] });
    expect(config.comment).toBe('Imported from -');
    expect(leases.recordedHeld.at(-1)).toBe(true);
    expect(leases.live.size).toBe(0);
    await expect(
      client.importRootfs(Readable.from([]), { fromSrc: 'http://example.test/x.tar', changes: [] }),
    ).rejects.toMatchObject({ code: 'DENIED' });
  });
});
