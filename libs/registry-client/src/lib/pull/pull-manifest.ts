import {
  Descriptor,
  DomainError,
  Platform,
  Reference,
  defaultTargetPlatform,
  hostPlatform,
  selectManifest,
} from '@stevedore/domain';
import { ClientContext } from '../context';
import { FetchedManifest, fetchManifest } from './manifests';

/** ImageManifestResult narrows a fetched document to a single-platform image manifest. */
export type FetchedImageManifest = Extract<FetchedManifest, { kind: 'manifest' }>;

/** PulledManifest is the outcome of resolving a reference down to one platform's image manifest. */
export interface PulledManifest {
  /** What the tag or digest points at: its digest is the RepoDigest, even for a multi-platform index. */
  readonly top: FetchedManifest;
  /** The image manifest for the chosen platform (equal to `top` for a single-platform image). */
  readonly manifest: FetchedImageManifest;
  /** The index entry that was chosen, when `top` is an index. */
  readonly chosen?: Descriptor;
  /** The platform that was asked for. */
  readonly platform: Platform;
}

const MAX_INDEX_DEPTH = 4;

/** defaultPlatform is `linux/<host architecture>[/<variant>]` (§5.3 step 1). */
export function defaultPlatform(): Platform {
  return defaultTargetPlatform(hostPlatform(process.arch, process.platform));
}

async function fetchChild(
  ctx: ClientContext,
  ref: Reference,
  entry: Descriptor,
): Promise<FetchedManifest> {
  const child = await fetchManifest(ctx, ref.withDigest(entry.digest));
  if (child.size !== entry.size) {
    throw DomainError.digestMismatch(
      `size mismatch for ${entry.digest}: the index says ${entry.size} bytes, the registry sent ${child.size}`,
    );
  }
  return child;
}

/**
 * pullManifest resolves `ref` to the image manifest for `platform` (default: the host's Linux
 * platform): it fetches what the reference points at (unless the caller fetched it already: `top`)
 * and, through nested indexes, selects and fetches the best matching entry, verifying each child's
 * digest and size. Throws NOT_FOUND `no matching manifest for … in the manifest list entries` when
 * no entry fits.
 */
export async function pullManifest(
  ctx: ClientContext,
  ref: Reference,
  platform: Platform = defaultPlatform(),
  fetched?: FetchedManifest,
): Promise<PulledManifest> {
  const top = fetched ?? (await fetchManifest(ctx, ref));
  let current: FetchedManifest = top;
  let chosen: Descriptor | undefined;
  for (let depth = 0; current.kind === 'index'; depth++) {
    if (depth >= MAX_INDEX_DEPTH)
      throw DomainError.invalidArgument(
        `index nesting deeper than ${MAX_INDEX_DEPTH} in ${ref.familiar()}`,
      );
    chosen = selectManifest(current.index, platform);
    current = await fetchChild(ctx, ref, chosen);
  }
  return { top, manifest: current, platform, ...(chosen ? { chosen } : {}) };
}
