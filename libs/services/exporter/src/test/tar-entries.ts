import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';

/** TarEntry is one member of a tar, with its bytes (tests only: archives here are small). */
export interface TarEntry {
  path: string;
  type: string;
  data: Buffer;
}

/** tarEntries reads every member of the tar `stream`, in order. */
export async function tarEntries(stream: Readable): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const tar = extract();
  tar.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    body.on('end', () => {
      entries.push({ path: header.name, type: header.type ?? 'file', data: Buffer.concat(chunks) });
      next();
    });
  });
  await pipeline(stream, tar);
  return entries;
}

/** jsonMember parses the member at `path`, or undefined when there is none. */
export function jsonMember(entries: TarEntry[], path: string): unknown {
  const entry = entries.find((e) => e.path === path);
  return entry ? JSON.parse(entry.data.toString('utf8')) : undefined;
}

/** blobDigests lists the digests of the `blobs/<alg>/<hex>` files, in archive order. */
export function blobDigests(entries: TarEntry[]): string[] {
  return entries
    .filter((e) => e.type === 'file' && /^blobs\/[a-z0-9]+\/[a-f0-9]+$/.test(e.path))
    .map((e) => e.path.slice('blobs/'.length).replace('/', ':'));
}
