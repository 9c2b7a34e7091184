import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { planDockerSave, writeArchive } from '@stevedore/archive';
import type { BlobReader } from '@stevedore/blob-port';
import { Digest } from '@stevedore/domain';
import { randomBlobStream } from '@stevedore/testing';

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** ArchiveFixture is a `docker save` archive on disk and the blob files it was made of. */
export interface ArchiveFixture {
  archive: string;
  reference: string;
  /** Manifest, config and layer digests (what `cat` reads to match a save). */
  digests: string[];
  bytes: number;
}

/** Hashes what passes through it, for a digest without reading the bytes twice. */
class Hashing extends Transform {
  readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/** gzipLayer writes one tar (a single file of seeded random bytes), gzipped, into `blobs`. */
async function gzipLayer(blobs: string, size: number, seed: number) {
  const pack = tarPack();
  const plain = new Hashing();
  const packed = new Hashing();
  const temp = join(blobs, `layer-${seed}.tmp`);
  const writing = pipeline(
    pack as unknown as NodeJS.ReadableStream,
    plain,
    createGzip({ level: 1 }),
    packed,
    createWriteStream(temp),
  );
  const entry = pack.entry({ name: `data-${seed}.bin`, size, mtime: new Date(0) });
  await pipeline(randomBlobStream(size, seed), entry as unknown as Writable);
  pack.finalize();
  await writing;
  const digest = `sha256:${packed.hash.digest('hex')}`;
  await rename(temp, join(blobs, digest.slice(7)));
  const { size: blobSize } = await stat(join(blobs, digest.slice(7)));
  return { digest, size: blobSize, diffId: `sha256:${plain.hash.digest('hex')}` };
}

async function addJson(blobs: string, value: unknown) {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = Digest.fromBytes(bytes).toString();
  await writeFile(join(blobs, digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

/** A BlobReader over a plain directory of sha256 blobs, to let the production writer make the archive. */
function dirReader(blobs: string): BlobReader {
  const path = (digest: Digest) => join(blobs, digest.hex);
  return {
    stat: async (digest) => ({ digest, size: (await stat(path(digest))).size }),
    read: async (digest) => createReadStream(path(digest)),
  };
}

/**
 * buildArchiveFixture makes the workload: an image of `layers` gzip layers of seeded random
 * bytes, `layerBytes` each, saved as one Docker ≥ 25 style archive (OCI layout + manifest.json).
 */
export async function buildArchiveFixture(
  dir: string,
  layers: number,
  layerBytes: number,
  seed = 4242,
): Promise<ArchiveFixture> {
  const blobs = join(dir, 'blobs');
  await mkdir(blobs, { recursive: true });
  const made = [];
  for (let i = 0; i < layers; i += 1) made.push(await gzipLayer(blobs, layerBytes, seed + i));
  const config = await addJson(blobs, {
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: made.map((l) => l.diffId) },
    history: made.map((_, i) => ({ created: '2026-01-01T00:00:00Z', created_by: `layer ${i}` })),
  });
  const manifestMediaType = 'application/vnd.oci.image.manifest.v1+json';
  const layerList = made.map(({ digest, size }) => ({ mediaType: LAYER, digest, size }));
  const manifest = await addJson(blobs, {
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layerList,
  });
  const reference = 'bench/archive:big';
  const entries = planDockerSave([
    {
      repoTags: [reference],
      manifest: { ...manifest, mediaType: manifestMediaType },
      config,
      layers: layerList,
      diffIds: made.map((l) => l.diffId),
    },
  ]);
  const archive = join(dir, 'image.tar');
  await writeArchive({ entries }, dirReader(blobs), createWriteStream(archive));
  return {
    archive,
    reference,
    digests: [manifest.digest, config.digest, ...made.map((l) => l.digest)],
    bytes: (await stat(archive)).size,
  };
}

/** The archive server's program: run in a process of its own, not on the benchmark's event loop. */
const ARCHIVE_SERVER = `
const { createServer } = require('node:http');
const { createReadStream } = require('node:fs');
const file = process.argv[1];
createServer((req, res) => {
  if (req.url.includes('/_ping')) {
    res.writeHead(200, { 'Api-Version': '1.50', 'Content-Type': 'text/plain' });
    res.end(req.method === 'HEAD' ? undefined : 'OK');
  } else if (req.url.includes('/images/get')) {
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(res);
  } else res.writeHead(404).end();
}).listen(0, '127.0.0.1', function () {
  process.stdout.write(this.address().port + '\\n');
});
`;

/**
 * startArchiveServer is the floor for `docker save` through the CLI: a node:http server (in its own
 * process) that answers the CLI's `_ping` and streams `file` (a saved archive) for any
 * `images/get`, 1 MiB at a time — all an engine could do at best, with no store, plan or tar to build.
 */
export async function startArchiveServer(
  file: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', ARCHIVE_SERVER, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    url: `http://127.0.0.1:${line.toString('utf8').trim()}`,
    close: async () => {
      child.kill();
      await once(child, 'exit');
    },
  };
}
