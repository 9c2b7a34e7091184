import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DomainError } from '@stevedore/domain';
import { dockerWords, invalidArchive } from '../archive-error';

/** Compression is how a stream is compressed, as its magic bytes tell (§6.4). */
export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'none';

/** MAGIC_LENGTH is how many leading bytes {@link detectCompression} needs to decide. */
export const MAGIC_LENGTH = 6;

/** detectCompression tells a stream's compression from its first bytes; anything unknown is `none`. */
export function detectCompression(head: Uint8Array): Compression {
  const at = (i: number) => head[i];
  if (at(0) === 0x1f && at(1) === 0x8b && at(2) === 0x08) return 'gzip';
  if (at(0) === 0x42 && at(1) === 0x5a && at(2) === 0x68) return 'bzip2';
  if ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00].every((b, i) => at(i) === b)) return 'xz';
  if (at(0) === 0x28 && at(1) === 0xb5 && at(2) === 0x2f && at(3) === 0xfd) return 'zstd';
  // zstd skippable frames: magic 0x184D2A50–0x184D2A5F, little-endian.
  const first = at(0);
  if (
    first !== undefined &&
    (first & 0xf0) === 0x50 &&
    at(1) === 0x2a &&
    at(2) === 0x4d &&
    at(3) === 0x18
  )
    return 'zstd';
  return 'none';
}

/** The external programs used for formats Node 20's zlib lacks (Debian's bzip2, xz-utils, zstd). */
const TOOLS: Readonly<Record<'bzip2' | 'xz' | 'zstd', string>> = {
  bzip2: 'bzip2',
  xz: 'xz',
  zstd: 'zstd',
};

/**
 * decompressed peeks at `input`'s magic bytes and returns the plain stream: gzip through zlib,
 * bzip2/xz/zstd through `<tool> -dc`, anything else as it is. A missing tool is UNSUPPORTED; a
 * corrupt stream fails the returned stream with INVALID_ARGUMENT.
 */
export async function decompressed(
  input: Readable,
): Promise<{ stream: Readable; compression: Compression }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  while (head.length < MAGIC_LENGTH) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, Buffer.from(next.value)]);
  }
  const rest = Readable.from(replay(head, iterator));
  const compression = detectCompression(head);
  if (compression === 'none') return { stream: rest, compression };
  if (compression === 'gzip') return { stream: viaZlib(rest), compression };
  return { stream: viaTool(rest, TOOLS[compression]), compression };
}

async function* replay(head: Buffer, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

function viaZlib(source: Readable): Readable {
  const gunzip = createGunzip();
  const out = new PassThrough();
  source.once('error', (err) => out.destroy(err));
  gunzip.once('error', (err) =>
    out.destroy(invalidArchive(`invalid archive: gzip: ${dockerWords(err)}`)),
  );
  out.once('close', () => {
    source.destroy();
    gunzip.destroy();
  });
  source.pipe(gunzip).pipe(out);
  return out;
}

/** viaTool pipes `source` through `<tool> -dc`; its exit status decides whether the output was whole. */
function viaTool(source: Readable, tool: string): Readable {
  const out = new PassThrough();
  const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 2000) stderr += text;
  });
  child.once('error', (err: NodeJS.ErrnoException) => {
    const failure =
      err.code === 'ENOENT'
        ? DomainError.unsupported(
            `${tool}-compressed archives need the ${tool} program, which is not installed`,
          )
        : err;
    out.destroy(failure);
  });
  // A decompressor that stops reading early (corrupt input) makes stdin fail with EPIPE; its exit
  // status is the error worth reporting, so the pipe's own error is dropped.
  pipeline(source, child.stdin).catch(() => undefined);
  child.stdout.pipe(out, { end: false });
  child.once('close', (code) => {
    if (code === 0) out.end();
    else
      out.destroy(
        invalidArchive(
          `invalid archive: ${tool}: ${dockerWords(stderr.trim() || `exit status ${code}`)}`,
        ),
      );
  });
  // A consumer that gives up (a hostile member was found) must not leave the tool running.
  out.once('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    source.destroy();
  });
  return out;
}
