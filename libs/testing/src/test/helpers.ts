import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** sha256File streams a file through sha256 and returns its `sha256:<hex>` digest. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** sha256Of returns the `sha256:<hex>` digest of bytes. */
export function sha256Of(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

interface LayoutIndex {
  manifests: { mediaType: string; digest: string }[];
}

/** readLayoutManifest returns the single top-level descriptor of an OCI layout and the document it names. */
export async function readLayoutManifest(
  dir: string,
): Promise<{ digest: string; mediaType: string; doc: ManifestDoc }> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as LayoutIndex;
  const top = index.manifests[0];
  if (!top || index.manifests.length !== 1) throw new Error(`expected one image in ${dir}`);
  const body = await readFile(
    join(dir, 'blobs', 'sha256', top.digest.slice('sha256:'.length)),
    'utf8',
  );
  return { digest: top.digest, mediaType: top.mediaType, doc: JSON.parse(body) as ManifestDoc };
}

/** ManifestDoc is the part of an image manifest tests look at. */
export interface ManifestDoc {
  mediaType?: string;
  config: { digest: string; mediaType: string };
  layers: { digest: string; mediaType: string; size: number }[];
}
