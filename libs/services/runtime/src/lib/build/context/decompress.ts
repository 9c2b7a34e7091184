import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DomainError } from '@stevedore/domain';

/** Peeked is a stream's first bytes and the whole stream again (those bytes first). */
export interface Peeked {
  head: Buffer;
  stream: Readable;
}

/** peek reads at least `n` bytes (fewer at the end) without losing them. */
export async function peek(input: Readable, n: number): Promise<Peeked> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  while (head.length < n) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, Buffer.from(next.value)]);
  }
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, stream: Readable.from(replay(), { objectMode: false }) };
}

/**
 * decompressed is the context as dockerd's `archive.DecompressStream` reads it: gzip through
 * zlib, bzip2 and xz through Debian's tools, anything else as it is. A corrupt stream fails.
 */
export async function decompressed(input: Readable): Promise<Readable> {
  const { head, stream } = await peek(input, 6);
  if (head[0] === 0x1f && head[1] === 0x8b) return through(stream, createGunzip(), 'gzip');
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return viaTool(stream, 'bzip2');
  if (head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return viaTool(stream, 'xz');
  return stream;
}

function through(source: Readable, t: NodeJS.ReadWriteStream, name: string): Readable {
  const out = new PassThrough();
  source.once('error', (err) => out.destroy(err));
  t.once('error', (err: Error) =>
    out.destroy(DomainError.invalidArgument(`invalid context: ${name}: ${err.message}`)),
  );
  return source.pipe(t).pipe(out);
}

/** viaTool runs `<tool> -dc`; the output ends only once the tool exited 0, so a cut stream fails. */
function viaTool(source: Readable, tool: 'bzip2' | 'xz'): Readable {
  const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const out = new PassThrough();
  child.once('error', (err) => out.destroy(DomainError.unsupported(`${tool}: ${err.message}`)));
  child.once('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(DomainError.invalidArgument(`invalid context: ${tool}: exit status ${code}`));
  });
  child.stdin.once('error', () => undefined);
  source.once('error', (err) => out.destroy(err));
  out.once('close', () => {
    source.destroy();
    child.kill();
  });
  source.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  return out;
}
