import { MediaType, Reference, parseImageConfig } from '@stevedore/domain';
import { guarded, invalidArchive } from '../archive-error';
import { goCompact, goString, goTime, topLevelMembers } from './go-json';
import {
  ArchiveView,
  LayerRef,
  PlannedImage,
  dockerLayerMediaType,
  jsonOf,
  planImage,
} from './image-assembly';
import { repoTagOf } from './names';
import type { Staging } from './staging';

/** Most layers one legacy image may chain through its `parent` links (a cycle would never end). */
const MAX_CHAIN = 1000;
/** The v1 keys dockerd drops when it turns a v1 image JSON into a config (moby's MakeConfigFromV1Config). */
const DROPPED_KEYS = ['id', 'parent', 'Size', 'parent_id', 'layer_id', 'throwaway'];

/** V1Layer is one `<id>/` directory of a pre-1.10 archive: its JSON and its layer. */
interface V1Layer {
  json: Record<string, unknown>;
  raw: string;
  layer: LayerRef;
}

/**
 * legacyImages reads a pre-1.10 `docker save` archive (`repositories` + `<id>/json` +
 * `<id>/layer.tar`, no `manifest.json`) as dockerd 20.10's legacy load does: each tag of
 * `repositories` names a top layer, whose `parent` links give the layers bottom-up; the config is
 * the top layer's JSON without its v1 keys, with `rootfs` and one `history` entry per layer, keys
 * sorted as Go marshals a map, so the image ID is the one dockerd gives.
 */
export function legacyImages(view: ArchiveView, staging: Staging): PlannedImage[] {
  const byTop = new Map<string, Reference[]>();
  for (const [name, tags] of readRepositories(view))
    for (const [tag, id] of Object.entries(tags)) {
      if (typeof id !== 'string' || !/^[a-f0-9]{64}$/.test(id))
        throw invalidArchive(`invalid target ID: ${String(id)}`);
      byTop.set(id, [...(byTop.get(id) ?? []), repoTagOf(`${name}:${tag}`)]);
    }
  return [...byTop].map(([id, names]) => ({ ...legacyImage(view, staging, id), names }));
}

function legacyImage(view: ArchiveView, staging: Staging, top: string): PlannedImage {
  const chain = layerChain(view, top);
  const diffIds = chain.map(({ layer }) => layer.blob.diffId ?? layer.blob.digest);
  const history = chain.map(({ json }) => historyOf(json));
  const members = topLevelMembers(goCompact((chain.at(-1) as V1Layer).raw));
  for (const key of DROPPED_KEYS) members.delete(key);
  members.set('rootfs', `{"type":"layers","diff_ids":[${diffIds.map(goString).join(',')}]}`);
  members.set('history', `[${history.join(',')}]`);
  const configText = `{${[...members.keys()]
    .sort()
    .map((key) => `${goString(key)}:${members.get(key) as string}`)
    .join(',')}}`;
  const bytes = Buffer.from(configText, 'utf8');
  const config = guarded(`image ${top}`, () => parseImageConfig(bytes));
  const stored = staging.addDocument(bytes);
  const layers = chain.map((l) => l.layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.DockerManifest,
      config: { mediaType: MediaType.DockerConfig, digest: stored.digest, size: stored.size },
      layers: layers.map(({ mediaType, blob }) => ({
        mediaType,
        digest: blob.digest,
        size: blob.size,
      })),
    }),
  );
  const facts = {
    ...staging.addDocument(manifest),
    mediaType: MediaType.DockerManifest,
    configMediaType: MediaType.DockerConfig,
  };
  return planImage(facts, config, layers, []);
}

/** layerChain follows `parent` from `top` to the base layer and returns the layers base first. */
function layerChain(view: ArchiveView, top: string): V1Layer[] {
  const chain: V1Layer[] = [];
  const seen = new Set<string>();
  for (let id: string | undefined = top; id;) {
    if (seen.has(id) || seen.size >= MAX_CHAIN)
      throw invalidArchive(`invalid archive: the parent links of ${top} do not end`);
    seen.add(id);
    const layer = v1Layer(view, id);
    chain.unshift(layer);
    const parent = layer.json['parent'];
    id = typeof parent === 'string' && parent !== '' ? parent : undefined;
  }
  return chain;
}

function v1Layer(view: ArchiveView, id: string): V1Layer {
  if (!/^[a-f0-9]{64}$/.test(id)) throw invalidArchive(`invalid archive: invalid layer ID ${id}`);
  const jsonBlob = view.table.file(`${id}/json`);
  const layerBlob = view.table.file(`${id}/layer.tar`);
  if (!jsonBlob || !layerBlob)
    throw invalidArchive(`invalid archive: ${id}/json or ${id}/layer.tar is missing`);
  const raw = jsonOf(view, jsonBlob, `${id}/json`).toString('utf8');
  const json = parseObject(raw, `${id}/json`);
  const path = `${id}/layer.tar`;
  return {
    json,
    raw,
    layer: { mediaType: dockerLayerMediaType(layerBlob, path), blob: layerBlob },
  };
}

/** historyOf is moby's HistoryFromConfig: created, author, created_by (the Cmd), comment. */
function historyOf(json: Record<string, unknown>): string {
  const containerConfig = json['container_config'] as { Cmd?: unknown } | null | undefined;
  const cmd = containerConfig?.Cmd;
  const createdBy = Array.isArray(cmd) ? cmd.join(' ') : typeof cmd === 'string' ? cmd : '';
  const fields: [string, unknown][] = [
    ['author', json['author']],
    ['created_by', createdBy],
    ['comment', json['comment']],
  ];
  const rest = fields
    .filter(([, v]) => typeof v === 'string' && v !== '')
    .map(([k, v]) => `,"${k}":${goString(v as string)}`);
  return `{"created":${goString(goTime(json['created']))}${rest.join('')}}`;
}

function readRepositories(view: ArchiveView): [string, Record<string, unknown>][] {
  const blob = view.table.file('repositories');
  if (!blob) throw invalidArchive('invalid archive: does not contain a repositories file');
  const repositories = parseObject(
    jsonOf(view, blob, 'repositories').toString('utf8'),
    'repositories',
  );
  return Object.entries(repositories).map(([name, tags]) => {
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
      throw invalidArchive(`invalid archive: repositories entry ${name} is not an object`);
    return [name, tags as Record<string, unknown>];
  });
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidArchive(`invalid archive: ${what} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalidArchive(`invalid archive: ${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}
