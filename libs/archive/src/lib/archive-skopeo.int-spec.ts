import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { MediaType } from '@stevedore/domain';
import { BuiltImage, buildImage, busyboxLayer, makeLayer } from '../test/fixture-images';
import { MemoryBlobStore } from '@stevedore/testing';
import { randomBytes } from 'node:crypto';
import { planDockerSave } from './plan/plan-docker-save';
import { readArchive } from './read/read-archive';
import { writeArchive } from './write/write-archive';

const run = promisify(execFile);
const SKOPEO = '/usr/bin/skopeo';

let dir: string;
let store: MemoryBlobStore;
let app: BuiltImage;
let base: BuiltImage;
let saved: string;

async function skopeoCopy(...args: string[]): Promise<void> {
  await run(SKOPEO, ['copy', '--insecure-policy', '--quiet', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** ociImage reads the single image skopeo wrote into an OCI layout directory. */
async function ociImage(
  layout: string,
): Promise<{ manifestDigest: string; config: string; layers: string[]; layerTypes: string[] }> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
  const manifestDigest: string = index.manifests[0].digest;
  const manifest = JSON.parse(
    await readFile(join(layout, 'blobs', 'sha256', manifestDigest.slice(7)), 'utf8'),
  );
  return {
    manifestDigest,
    config: manifest.config.digest,
    layers: manifest.layers.map((l: { digest: string }) => l.digest),
    layerTypes: manifest.layers.map((l: { mediaType: string }) => l.mediaType),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stevedore-archive-'));
  store = new MemoryBlobStore();
  const rootfs = await busyboxLayer();
  const data = await makeLayer([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/payload.bin', data: randomBytes(300_000) },
  ]);
  app = buildImage(store, [rootfs, data], { tag: 'app:1.0' });
  app.repoTags.push('app:extra');
  base = buildImage(store, [rootfs], {
    docker: true,
    tag: 'example.com:5000/team/base:v2',
    cmd: ['ls'],
  });
  saved = join(dir, 'save.tar');
  await writeArchive({ entries: planDockerSave([app, base]) }, store, createWriteStream(saved));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a saved archive read by real skopeo', () => {
  it('is an OCI archive whose manifests, configs and layers keep their original digests', async () => {
    await skopeoCopy(
      '--preserve-digests',
      `oci-archive:${saved}:extra`,
      `oci:${join(dir, 'oci-app')}:x`,
    );
    expect(await ociImage(join(dir, 'oci-app'))).toEqual({
      manifestDigest: app.manifest.digest,
      config: app.config.digest,
      layers: app.layers.map((l) => l.digest),
      layerTypes: app.layers.map(() => MediaType.OciLayerGzip),
    });
    // (skopeo 1.9's OCI transport only sees OCI-typed index entries, so the Docker-typed image is
    // checked through docker-archive: below; newer skopeo reads both.)
  });

  it('is a docker archive that skopeo finds by tag, with every layer matching its DiffID', async () => {
    await skopeoCopy(
      '--dest-oci-accept-uncompressed-layers',
      `docker-archive:${saved}:app:1.0`,
      `oci:${join(dir, 'docker-app')}:x`,
    );
    const copied = await ociImage(join(dir, 'docker-app'));
    expect(copied.config).toBe(app.config.digest);
    expect(copied.layers).toEqual(app.diffIds);
    await skopeoCopy(
      '--dest-oci-accept-uncompressed-layers',
      `docker-archive:${saved}:example.com:5000/team/base:v2`,
      `oci:${join(dir, 'docker-base')}:x`,
    );
    expect((await ociImage(join(dir, 'docker-base'))).layers).toEqual(base.diffIds);
  });
});

describe('readArchive on real archives', () => {
  it('loads what skopeo writes as docker-archive, plain and gzip-compressed', async () => {
    const fromSkopeo = join(dir, 'skopeo-docker.tar');
    await skopeoCopy(`oci-archive:${saved}:1.0`, `docker-archive:${fromSkopeo}:app:1.0`);
    const gzipped = `${fromSkopeo}.gz`;
    await pipeline(createReadStream(fromSkopeo), createGzip(), createWriteStream(gzipped));
    for (const file of [fromSkopeo, gzipped]) {
      const target = new MemoryBlobStore();
      // A small JSON limit sends the 2 MB busybox layer down the streaming spool path.
      const { images } = await readArchive(createReadStream(file), target, {
        tempDir: dir,
        maxJsonBytes: 64 * 1024,
      });
      expect(images).toHaveLength(1);
      const [image] = images;
      expect(image?.repoTags).toEqual(['docker.io/library/app:1.0']);
      expect(image?.configDigest).toBe(app.config.digest);
      expect(image?.configJson).toBe(app.configJson);
      expect(image?.manifest.layers.map((l) => [l.mediaType, l.digest])).toEqual(
        app.diffIds.map((d) => [MediaType.DockerLayer, d]),
      );
      expect(target.committed()).toEqual(
        expect.arrayContaining([app.config.digest, ...app.diffIds, image?.manifest.digest ?? '']),
      );
      expect(target.pending.size).toBe(0);
    }
  });

  it('loads our own save, plain and gzip-compressed, with its original manifests and every tag', async () => {
    const gzipped = `${saved}.gz`;
    await pipeline(createReadStream(saved), createGzip(), createWriteStream(gzipped));
    for (const file of [saved, gzipped]) {
      const target = new MemoryBlobStore();
      // One open ingest at a time: the others are closed while reading and reopened to commit.
      const { images } = await readArchive(createReadStream(file), target, {
        tempDir: dir,
        maxOpenIngests: 1,
      });
      expect(images.map((i) => [i.repoTags, i.manifest.digest, i.manifest.mediaType])).toEqual([
        [
          ['docker.io/library/app:1.0', 'docker.io/library/app:extra'],
          app.manifest.digest,
          MediaType.OciManifest,
        ],
        [['example.com:5000/team/base:v2'], base.manifest.digest, MediaType.DockerManifest],
      ]);
      for (const digest of [
        app.manifest.digest,
        app.config.digest,
        ...app.layers.map((l) => l.digest),
        base.manifest.digest,
      ]) {
        expect(target.bytes(digest)?.equals(store.bytes(digest) ?? Buffer.alloc(0))).toBe(true);
      }
      expect(target.pending.size).toBe(0);
    }
  });
});
