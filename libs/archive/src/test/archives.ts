import { spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { BlobWriter } from '@stevedore/blob-port';
import { planDockerSave, SaveImage } from '../lib/plan/plan-docker-save';
import { readArchive, ReadArchiveOptions } from '../lib/read/read-archive';
import type { LoadedArchive } from '../lib/read/loaded-image';
import { writeArchive } from '../lib/write/write-archive';
import { MemoryBlobStore } from '@stevedore/testing';
import { putT4, T4 } from './t4-vectors';
import { collect, TarMember, untar } from './tar-helpers';

/** saveArchive writes the union archive of `images` from `store` into memory. */
export async function saveArchive(store: MemoryBlobStore, images: SaveImage[]): Promise<Buffer> {
  const out = new PassThrough();
  const [bytes] = await Promise.all([
    collect(out),
    writeArchive({ entries: planDockerSave(images) }, store, out),
  ]);
  return bytes;
}

/** t5Members returns the members of our save of T4 tagged app:1.0, for editing into variants. */
export async function t5Members(): Promise<TarMember[]> {
  const store = new MemoryBlobStore();
  const files = await untar(await saveArchive(store, [putT4(store)]));
  return files.map((f) => ({ name: f.name, type: f.type as TarMember['type'], data: f.data }));
}

/** load runs readArchive over bytes held in memory, in 64 KiB chunks. */
export function load(
  bytes: Buffer,
  sink: BlobWriter,
  options: ReadArchiveOptions = {},
): Promise<LoadedArchive> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024)
    chunks.push(bytes.subarray(at, at + 64 * 1024));
  return readArchive(Readable.from(chunks), sink, options);
}

/** compress compresses bytes with gzip (zlib) or the system's bzip2/xz/zstd. */
export function compress(bytes: Buffer, how: 'gzip' | 'bzip2' | 'xz' | 'zstd'): Buffer {
  if (how === 'gzip') return gzipSync(bytes);
  const result = spawnSync(how, ['-c'], { input: bytes, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${how} failed: ${result.stderr.toString()}`);
  return result.stdout;
}

/** T4_BLOBS are the three digests a load of T4 commits. */
export const T4_BLOBS = [T4.layerDigest, T4.configDigest, T4.manifestDigest].sort();
