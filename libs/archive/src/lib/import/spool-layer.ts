import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { isDomainError } from '@stevedore/domain';
import { dockerWords, invalidArchive } from '../archive-error';
import { decompressed } from '../read/compression';

/** SpooledLayer is a root filesystem tar turned into one gzip layer blob in a spool file. */
export interface SpooledLayer {
  /** The gzip blob, in the spool directory. */
  path: string;
  /** sha256 and size of the gzip blob (what the manifest names). */
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar (the config's diff ID). */
  diffId: string;
}

/** Counts and hashes what flows through. */
class HashTap extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  override _transform(
    chunk: Buffer,
    _enc: BufferEncoding,
    done: (err?: Error | null, data?: Buffer) => void,
  ): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/**
 * spoolRootfsLayer reads a root filesystem tar for `docker import` (plain, gzip, bzip2, xz or zstd),
 * checks that it is a tar, and writes it gzip-compressed to `dir/layer.tar.gz` while hashing both
 * forms — streamed end to end, never held in memory. A stream that is not a tar is INVALID_ARGUMENT
 * (Docker: `archive/tar: invalid tar header`).
 */
export async function spoolRootfsLayer(input: Readable, dir: string): Promise<SpooledLayer> {
  const { stream } = await decompressed(input);
  const path = join(dir, 'layer.tar.gz');
  const diff = new HashTap();
  const blob = new HashTap();
  const check = new PassThrough();
  const validated = validateTar(check);
  const written = pipeline(
    stream,
    diff,
    teeTo(check),
    createGzip({ level: 6 }),
    blob,
    createWriteStream(path),
  );
  // A spool that fails first (the client went away, the disk is full, a truncated gzip) must end
  // the tar check too: it would wait for bytes for ever. Its error is then the one to report.
  let spoolFailedFirst = false;
  written.catch((err: unknown) => {
    spoolFailedFirst = !check.destroyed;
    check.destroy(err as Error);
  });
  // Both must settle before returning: a bad tar fails `validated` while the spool still runs.
  const [spool, tar] = await Promise.allSettled([written, validated]);
  if (spool.status === 'rejected' && spoolFailedFirst) throw spool.reason;
  if (tar.status === 'rejected') throw tar.reason;
  if (spool.status === 'rejected') throw spool.reason;
  if (diff.bytes === 0)
    throw invalidArchive('archive/tar: empty input: a root filesystem tar was expected');
  return { path, digest: blob.digest(), size: blob.bytes, diffId: diff.digest() };
}

/** teeTo passes chunks on and copies them into `side` (ended with the stream); a side that gave up is skipped. */
function teeTo(side: PassThrough): Transform {
  side.on('error', () => undefined); // its reader reports the failure
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (side.destroyed || side.writableEnded || side.write(chunk)) return done(null, chunk);
      const go = () => {
        side.off('drain', go);
        side.off('close', go);
        done(null, chunk);
      };
      side.once('drain', go);
      side.once('close', go);
    },
    flush(done) {
      if (!side.destroyed) side.end();
      done();
    },
  });
}

/** validateTar parses the tar headers (skipping contents) and fails on anything that is not a tar. */
async function validateTar(source: Readable): Promise<void> {
  const tar = extract();
  tar.on('entry', (_header, body, next) => {
    body.on('end', () => next());
    // A tar cut mid-member fails the member's stream too; the pipeline below reports it, but an
    // 'error' nobody listens to would end the process.
    body.on('error', () => undefined);
    body.resume();
  });
  try {
    await pipeline(source, tar);
  } catch (err) {
    if (isDomainError(err)) throw err; // the decompressor's own, already worded
    const words = dockerWords(err);
    throw invalidArchive(
      words === 'unexpected EOF' ? words : `archive/tar: invalid tar header (${words})`,
    );
  }
}
