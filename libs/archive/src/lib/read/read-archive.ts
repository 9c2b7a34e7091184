import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobWriter } from '@stevedore/blob-port';
import {
  DomainError,
  Platform,
  defaultTargetPlatform,
  formatPlatform,
  hostPlatform,
  normalizePlatform,
} from '@stevedore/domain';
import { invalidArchive } from '../archive-error';
import { dockerImages } from './docker-images';
import { extractMembers } from './extract-members';
import { ArchiveView, PlannedImage, jsonOf, mergeImages } from './image-assembly';
import { LoadedArchive } from './loaded-image';
import { legacyImages } from './legacy-images';
import { ociImages } from './oci-images';
import { Staging } from './staging';

/** ReadArchiveOptions bound and steer one load. */
export interface ReadArchiveOptions {
  /** Most tar members accepted (default 10 000). */
  maxMembers?: number;
  /** Largest JSON document (manifest.json, index.json, a manifest or config) in bytes (default 4 MiB). */
  maxJsonBytes?: number;
  /** All JSON documents of the archive together, in bytes (default 64 MiB). */
  maxMetadataBytes?: number;
  /** Ingests held open at once while reading (default 32). */
  maxOpenIngests?: number;
  /** Where members whose digest their path does not tell are spooled (default the OS temp dir). */
  tempDir?: string;
  /**
   * Platform to load: only images of exactly this platform are loaded, and none is NOT_FOUND.
   * Default: every image, the host's platform (falling back to any) from a multi-platform index.
   */
  platform?: Platform;
  /**
   * Runs once the archive is valid, before any blob is committed, with every digest the images
   * need: where a caller takes its hold against garbage collection. A blob the store already had
   * is checked again after it (a collection may have taken it while the archive was read).
   */
  beforeCommit?: (digests: string[]) => Promise<void>;
}

const SUPPORTED_LAYOUT_VERSION = '1.0.0';

/**
 * readArchive loads a `docker save` archive (legacy per-layer layout, the Docker ≥ 25 OCI variant,
 * skopeo's docker-archive) or a tarred OCI image layout from `input` — plain, gzip, or (through the
 * system's tools) bzip2/xz/zstd — into `sink`. Every blob is verified; nothing is committed until the
 * whole archive has been read and validated, and on any failure every ingest is aborted, so a
 * rejected archive leaves nothing visible. Hostile or malformed input is INVALID_ARGUMENT. Returns the
 * images loaded; recording them (tags, image records) is the caller's job. On failure `input` is
 * left as it is (not destroyed): an HTTP caller may still answer on its socket.
 */
export async function readArchive(
  input: Readable,
  sink: BlobWriter,
  options: ReadArchiveOptions = {},
): Promise<LoadedArchive> {
  const maxJsonBytes = options.maxJsonBytes ?? 4 * 1024 * 1024;
  const spoolDir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'stevedore-load-'));
  const staging = new Staging(sink, spoolDir, {
    maxJsonBytes,
    maxMetadataBytes: options.maxMetadataBytes ?? 64 * 1024 * 1024,
    maxOpenIngests: options.maxOpenIngests ?? 32,
  });
  try {
    const table = await extractMembers(input, staging, options.maxMembers ?? 10_000);
    const all = interpret({ table, maxJsonBytes }, staging, options.platform);
    const planned = mergeImages(onlyPlatform(all, options.platform));
    const blobs = [...new Set(planned.flatMap((p) => p.blobs))];
    await options.beforeCommit?.(blobs);
    await staging.commit(blobs);
    return { images: planned.map((p) => p.image) };
  } catch (error) {
    await staging.discard();
    throw error;
  } finally {
    await rm(spoolDir, { recursive: true, force: true });
  }
}

/**
 * interpret picks how to read the archive (§7.6): the OCI index when `oci-layout` is present and
 * of version 1.0.0, else `manifest.json`, else a pre-1.10 archive's `repositories`; an unsupported layout version with no `manifest.json` is
 * UNSUPPORTED, and an archive with neither is INVALID_ARGUMENT.
 */
function interpret(
  view: ArchiveView,
  staging: Staging,
  platform: Platform | undefined,
): PlannedImage[] {
  const version = layoutVersion(view);
  const hasIndex = view.table.file('index.json') !== undefined;
  if (version === SUPPORTED_LAYOUT_VERSION && hasIndex) {
    // An index with no entry for an asked platform falls back here; onlyPlatform then drops it.
    return ociImages(view, { platform: platform ?? hostTarget(), explicit: false });
  }
  if (view.table.file('manifest.json')) return dockerImages(view, staging);
  if (version !== undefined && version !== SUPPORTED_LAYOUT_VERSION)
    throw DomainError.unsupported(`unsupported OCI version ${version}`);
  // A pre-1.10 `docker save`: per-layer directories named by `repositories`, no OCI layout.
  if (version === undefined && view.table.file('repositories')) return legacyImages(view, staging);
  throw invalidArchive('invalid archive: does not contain a manifest.json or an OCI index.json');
}

/**
 * onlyPlatform keeps the images of exactly `platform` (containerd's strict matcher, as `docker
 * load --platform` uses); none left is NOT_FOUND in containerd's words.
 */
function onlyPlatform(images: PlannedImage[], platform: Platform | undefined): PlannedImage[] {
  if (!platform) return images;
  const wanted = formatPlatform(normalizePlatform(platform));
  const kept = images.filter(
    (p) => formatPlatform(normalizePlatform(p.image.manifest.platform)) === wanted,
  );
  if (kept.length > 0) return kept;
  throw DomainError.notFound(
    `requested platform (${wanted}) not found: image might be filtered out`,
    { platform: wanted },
  );
}

function layoutVersion(view: ArchiveView): string | undefined {
  const blob = view.table.file('oci-layout');
  if (!blob) return undefined;
  const text = jsonOf(view, blob, 'oci-layout').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidArchive('invalid archive: oci-layout is not valid JSON');
  }
  const version =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)['imageLayoutVersion']
      : undefined;
  return typeof version === 'string' ? version : '(none)';
}

function hostTarget(): Platform {
  try {
    return defaultTargetPlatform(hostPlatform(process.arch, process.platform));
  } catch {
    return { os: 'linux', architecture: 'amd64' };
  }
}
