import {
  Descriptor,
  Digest,
  DomainError,
  ParsedManifest,
  Reference,
  isNonDistributableMediaType,
  parseManifest,
} from '@stevedore/domain';
import { ClientContext } from '../context';
import { ImageSource } from './image-source';
import { BlobPushOutcome, pushBlob } from './push-blob';
import { pushManifest } from './push-manifest';

/** CopyImageOptions tune {@link copyImage}. */
export interface CopyImageOptions {
  /** Repositories on the destination registry to mount blobs from (default: the source's, when on the same registry). */
  readonly mountFrom?: readonly string[];
  /** Blobs pushed at once per image (default 3). */
  readonly blobConcurrency?: number;
  /** Called once per blob with how it reached the destination. */
  readonly onBlob?: (descriptor: Descriptor, outcome: BlobPushOutcome) => void;
  /** Called as an uploading blob's bytes go out (bytes sent so far). */
  readonly onProgress?: (descriptor: Descriptor, bytes: number) => void;
}

/** CopyImageResult summarises a copied image graph. */
export interface CopyImageResult {
  /** Digest of the pushed top-level document (identical to the source's: bytes are never rewritten). */
  readonly digest: Digest;
  readonly mediaType: string;
  readonly manifests: number;
  readonly blobs: Readonly<Record<BlobPushOutcome, number>>;
}

interface CopyRun {
  readonly ctx: ClientContext;
  readonly source: ImageSource;
  readonly dst: Reference;
  readonly mountFrom: readonly string[];
  readonly options: CopyImageOptions;
  readonly tally: Record<BlobPushOutcome, number>;
  manifests: number;
}

async function loadManifest(
  source: ImageSource,
  digest: Digest,
  size?: number,
): Promise<ParsedManifest> {
  const { bytes, mediaType } = await source.manifest(digest);
  return parseManifest(bytes, mediaType, {
    expectedDigest: digest,
    ...(size !== undefined ? { expectedSize: size } : {}),
  });
}

async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, worker));
}

async function pushImageBlobs(
  run: CopyRun,
  doc: Extract<ParsedManifest, { kind: 'manifest' }>,
): Promise<void> {
  // Foreign / non-distributable layers stay referenced by their URLs and are never uploaded (§3.1).
  const blobs = [...doc.manifest.layers, doc.manifest.config].filter(
    (d) => !isNonDistributableMediaType(d.mediaType),
  );
  await mapLimit(blobs, run.options.blobConcurrency ?? 3, async (desc) => {
    const onProgress = run.options.onProgress;
    const outcome = await pushBlob(run.ctx, run.dst, desc, () => run.source.blob(desc), {
      mountFrom: run.mountFrom,
      ...(onProgress ? { onProgress: (bytes: number) => onProgress(desc, bytes) } : {}),
    });
    run.tally[outcome]++;
    run.options.onBlob?.(desc, outcome);
  });
}

/** pushChildren pushes everything a document refers to, children before parents; manifests of an index go by digest. */
async function pushChildren(run: CopyRun, doc: ParsedManifest, depth: number): Promise<void> {
  if (depth > 4) throw DomainError.invalidArgument('index nesting deeper than 4');
  if (doc.kind === 'manifest') return pushImageBlobs(run, doc);
  for (const entry of doc.index.manifests) {
    const child = await loadManifest(run.source, entry.digest, entry.size);
    await pushChildren(run, child, depth + 1);
    await pushManifest(run.ctx, run.dst.withDigest(child.digest), child.bytes, child.mediaType);
    run.manifests++;
  }
}

function defaultMounts(source: ImageSource, dst: Reference): string[] {
  const origin = source.origin;
  if (!origin || origin.registry !== dst.domain || origin.repository === dst.path) return [];
  return [origin.repository];
}

/**
 * copyImage pushes the whole image graph under `source.root` to `dst` (§3.1): layers and configs
 * first (HEAD-skipped, mounted or uploaded, verified), then each platform manifest by digest, then
 * the top-level document under `dst`'s tag (or digest), with the original bytes so digests survive.
 */
export async function copyImage(
  ctx: ClientContext,
  source: ImageSource,
  dst: Reference,
  options: CopyImageOptions = {},
): Promise<CopyImageResult> {
  const run: CopyRun = {
    ctx,
    source,
    dst,
    options,
    mountFrom: options.mountFrom ?? defaultMounts(source, dst),
    tally: { exists: 0, mounted: 0, uploaded: 0 },
    manifests: 0,
  };
  const root = await loadManifest(source, source.root);
  await pushChildren(run, root, 0);
  const digest = await pushManifest(ctx, dst, root.bytes, root.mediaType);
  return { digest, mediaType: root.mediaType, manifests: run.manifests + 1, blobs: run.tally };
}
