import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { Digest, MediaType } from '@stevedore/domain';
import type { MemoryBlobStore } from '@stevedore/testing';
import type { LayerToUnpack } from '../lib/snapshotter';

/** An entry of a test layer: a header and, for files, its content. */
export type TestEntry = Partial<Header> & { name: string; content?: string };

/** tarOf packs `entries` into an uncompressed tar. */
export async function tarOf(entries: readonly TestEntry[]): Promise<Buffer> {
  const tar = pack();
  for (const { content, ...header } of entries) {
    const defaults = {
      mtime: new Date('2020-01-02T03:04:05Z'),
      mode: header.type === 'directory' ? 0o755 : 0o644,
    };
    tar.entry({ ...defaults, ...header }, content ?? '');
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** storeLayer gzips the tar of `entries` into `store` and returns its descriptor and diff ID. */
export async function storeLayer(
  store: MemoryBlobStore,
  entries: readonly TestEntry[],
): Promise<LayerToUnpack> {
  const tar = await tarOf(entries);
  const digest = Digest.parse(store.put(gzipSync(tar)));
  return { digest, mediaType: MediaType.OciLayerGzip, diffId: Digest.fromBytes(tar) };
}
