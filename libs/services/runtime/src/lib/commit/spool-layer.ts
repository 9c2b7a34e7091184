import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** SpooledDiff is a container's layer tar, gzip-compressed into a spool file. */
export interface SpooledDiff {
  /** The gzip blob. */
  path: string;
  /** sha256 and size of the gzip blob (what the manifest names). */
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar (the config's diff ID). */
  diffId: string;
}

/**
 * spoolDiff gzips a layer tar into `dir/layer.tar.gz`, hashing the tar (diff ID) and the gzip
 * (digest) as they stream: nothing is held in memory, and the blob store gets the file once its
 * digest is known. An error of the tar stream (a file changed underneath) rejects, so no
 * truncated layer is ever stored.
 */
export async function spoolDiff(tar: Readable, dir: string): Promise<SpooledDiff> {
  const path = join(dir, 'layer.tar.gz');
  const diff = hashTap();
  const blob = hashTap();
  await pipeline(tar, diff.tap, createGzip({ level: 6 }), blob.tap, createWriteStream(path));
  return { path, digest: blob.digest(), size: blob.bytes(), diffId: diff.digest() };
}

/** hashTap passes bytes on while counting and hashing them. */
function hashTap(): { tap: Transform; digest: () => string; bytes: () => number } {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { tap, digest: () => `sha256:${hash.digest('hex')}`, bytes: () => bytes };
}
