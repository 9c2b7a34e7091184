import { MediaType, Reference } from '@stevedore/domain';
import { invalidArchive } from '../archive-error';
import {
  ArchiveView,
  LayerRef,
  PlannedImage,
  checkLayers,
  dockerLayerMediaType,
  jsonOf,
  planImage,
  readConfig,
} from './image-assembly';
import { repoTagOf } from './names';
import type { Staging } from './staging';

/** ManifestItem is one entry of a docker-save `manifest.json` (§7.1/§7.2). */
interface ManifestItem {
  Config: string;
  RepoTags: string[];
  Layers: string[];
}

/**
 * dockerImages reads a docker-save `manifest.json` (legacy per-layer directories, the Docker ≥ 25
 * OCI variant, or skopeo's docker-archive): each entry's config and layers are found by path
 * (links followed inside the archive), checked like `docker load` checks them, and stored under a
 * synthesised Docker schema 2 manifest whose layer types follow each layer's compression.
 */
export function dockerImages(view: ArchiveView, staging: Staging): PlannedImage[] {
  // Entries repeating a config and its layers (one per tag) are read and checked once.
  const planned = new Map<string, PlannedImage>();
  return parseManifestJson(view).map((item) => {
    const key = JSON.stringify([item.Config, item.Layers]);
    const image = planned.get(key) ?? dockerImage(view, staging, item);
    planned.set(key, image);
    return { ...image, names: item.RepoTags.map(repoTagOf) };
  });
}

/**
 * dockerRepoTagsByConfig maps config digests to the RepoTags `manifest.json` gives them, for naming
 * OCI entries that carry no name of their own; a missing or unreadable `manifest.json` gives none.
 */
export function dockerRepoTagsByConfig(view: ArchiveView): Map<string, Reference[]> {
  const byConfig = new Map<string, Reference[]>();
  try {
    if (!view.table.file('manifest.json')) return byConfig;
    for (const item of parseManifestJson(view)) {
      const config = view.table.file(item.Config);
      if (config) byConfig.set(config.digest, item.RepoTags.map(repoTagOf));
    }
  } catch {
    // Only a fallback: the OCI index is what this archive is read by.
  }
  return byConfig;
}

function dockerLayer(view: ArchiveView, path: string): LayerRef {
  const blob = view.table.file(path);
  if (!blob) throw invalidArchive(`invalid archive: layer ${path} is not in the archive`, { path });
  return { mediaType: dockerLayerMediaType(blob, path), blob };
}

/** dockerImage plans one entry's image (names are the caller's: entries may share an image). */
function dockerImage(view: ArchiveView, staging: Staging, item: ManifestItem): PlannedImage {
  const configBlob = view.table.file(item.Config);
  if (!configBlob)
    throw invalidArchive(`invalid archive: config ${item.Config} is not in the archive`, {
      path: item.Config,
    });
  const config = readConfig(view, configBlob, `config ${item.Config}`);
  checkNamedDigest(item.Config, config.digest.hex);
  const layers = item.Layers.map((path) => dockerLayer(view, path));
  checkLayers(
    config,
    layers.map((l) => l.blob),
  );
  const configDigest = config.digest.toString();
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.DockerManifest,
      config: { mediaType: MediaType.DockerConfig, digest: configDigest, size: config.size },
      layers: layers.map(({ mediaType, blob }) => ({
        mediaType,
        digest: blob.digest,
        size: blob.size,
      })),
    }),
  );
  const { digest, size } = staging.addDocument(manifest);
  const facts = {
    digest,
    size,
    mediaType: MediaType.DockerManifest,
    configMediaType: MediaType.DockerConfig,
  };
  return planImage(facts, config, layers, []);
}

/** A config file named `<64 hex>.json` (legacy) states its digest; it must be the right one. */
function checkNamedDigest(path: string, hex: string): void {
  const named = /(?:^|\/)([a-f0-9]{64})(?:\.json)?$/.exec(path)?.[1];
  if (named !== undefined && named !== hex) {
    throw invalidArchive(
      `invalid archive: config ${path} does not match its digest (sha256:${hex})`,
      { path },
    );
  }
}

function parseManifestJson(view: ArchiveView): ManifestItem[] {
  const blob = view.table.file('manifest.json');
  if (!blob) throw invalidArchive('invalid archive: does not contain a manifest.json');
  const text = jsonOf(view, blob, 'manifest.json').toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalidArchive('invalid archive: manifest.json is not valid JSON');
  }
  if (raw === null)
    throw invalidArchive('invalid manifest, manifest cannot be null (but can be [])');
  if (!Array.isArray(raw))
    throw invalidArchive('invalid archive: manifest.json must be a JSON array');
  return raw.map((item: unknown, i) => readItem(item, i));
}

function readItem(item: unknown, i: number): ManifestItem {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw invalidArchive(`invalid archive: manifest.json entry ${i} is not an object`);
  }
  const record = item as Record<string, unknown>;
  const config = record['Config'];
  if (typeof config !== 'string' || config === '')
    throw invalidArchive(`invalid archive: manifest.json entry ${i} has no Config`);
  return {
    Config: config,
    RepoTags: stringList(record['RepoTags'], 'RepoTags', i),
    Layers: stringList(record['Layers'], 'Layers', i),
  };
}

function stringList(value: unknown, field: string, i: number): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  throw invalidArchive(
    `invalid archive: manifest.json entry ${i}: ${field} must be a list of strings`,
  );
}
