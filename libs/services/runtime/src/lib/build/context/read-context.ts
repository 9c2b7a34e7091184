import { mkdir } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { posix } from 'node:path';
import { extract, type Header } from 'tar-stream';
import { DomainError } from '@stevedore/domain';
import { extractToRoot } from '@stevedore/snapshots';
import { decompressed, peek } from './decompress';
import { tarsumHash } from './tarsum';

/** ContextLimits bound what a client may upload (a context is untrusted input). */
export interface ContextLimits {
  /** Largest single member, in bytes. */
  maxMemberBytes: number;
  /** Largest context (sum of member sizes), in bytes. */
  maxTotalBytes: number;
  maxMembers: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = {
  maxMemberBytes: 8 * 1024 ** 3,
  maxTotalBytes: 16 * 1024 ** 3,
  maxMembers: 1_000_000,
};

/** ContextDir is an unpacked build context. */
export interface ContextDir {
  /** The directory the context was unpacked into (the context root). */
  root: string;
  /** dockerd's tarsum of each member, by clean relative path (`a/b`): what COPY's cache key uses. */
  sums: Map<string, string>;
  /** The body was not a tar but a Dockerfile: its text (the root is then empty). */
  bareDockerfile?: string;
}

/**
 * readContext unpacks the request body into `root`: a plain, gzip, bzip2 or xz tar (unpacked by
 * the same hardened extractor as `docker cp`: nothing lands outside `root`, no write goes through
 * a symlink, links out of the context are refused), or a bare Dockerfile. Members over the limits
 * fail the build with a clear error before their bytes are written.
 */
export async function readContext(
  body: Readable,
  root: string,
  limits: ContextLimits = DEFAULT_CONTEXT_LIMITS,
): Promise<ContextDir> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const { head, stream } = await peek(await decompressed(body), 512);
  if (!isTar(head)) return { root, sums: new Map(), bareDockerfile: await text(stream) };
  const sums = new Map<string, string>();
  const forSums = new PassThrough();
  const forFiles = new PassThrough();
  const fail = (err: Error) => {
    forSums.destroy(err);
    forFiles.destroy(err);
  };
  // Their failures reach the caller through the two promises below.
  forSums.on('error', () => undefined);
  forFiles.on('error', () => undefined);
  stream.once('error', fail);
  stream.pipe(forSums);
  stream.pipe(forFiles);
  const summing = sumMembers(forSums, sums, limits).catch((err: Error) => {
    fail(err);
    throw err;
  });
  const writing = extractToRoot(root, '/', forFiles).catch((err: Error) => {
    fail(err);
    throw err;
  });
  const [a, b] = await Promise.allSettled([summing, writing]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return { root, sums };
}

/** isTar: a ustar/GNU magic, or an old-style header whose checksum adds up. */
export function isTar(head: Buffer): boolean {
  if (head.length < 512) return false;
  if (head.subarray(257, 262).toString('latin1') === 'ustar') return true;
  const stored = parseInt(
    head.subarray(148, 156).toString('latin1').replace(/\0.*$/, '').trim(),
    8,
  );
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (head[i] ?? 0);
  return Number.isFinite(stored) && stored === sum;
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw DomainError.invalidArgument('the Dockerfile body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** sumMembers reads the tar once for dockerd's per-member tarsums, enforcing the limits. */
async function sumMembers(tar: Readable, sums: Map<string, string>, limits: ContextLimits) {
  const members = extract();
  tar.pipe(members);
  let total = 0;
  let count = 0;
  for await (const entry of members) {
    const header = entry.header as Header & { pax?: Record<string, string> | null };
    checkLimits(header, (count += 1), (total += header.size ?? 0), limits);
    const hash = tarsumHash(header);
    for await (const chunk of entry) hash.update(chunk as Buffer);
    // Go's path.Join(".", path.Join("/", name)): clean, no trailing slash.
    const name = posix.normalize(`/${header.name}`).replace(/^\/+|\/+$/g, '');
    if (name !== '' && !sums.has(name)) sums.set(name, hash.digest('hex'));
  }
}

function checkLimits(header: Header, count: number, total: number, limits: ContextLimits): void {
  const size = header.size ?? 0;
  if (size > limits.maxMemberBytes)
    throw DomainError.invalidArgument(
      `context member ${header.name} is too large: ${size} bytes (the limit is ${limits.maxMemberBytes})`,
    );
  if (total > limits.maxTotalBytes)
    throw DomainError.invalidArgument(
      `the build context is too large: over ${limits.maxTotalBytes} bytes`,
    );
  if (count > limits.maxMembers)
    throw DomainError.invalidArgument(
      `the build context has too many members: over ${limits.maxMembers}`,
    );
}
