/** ContentLayer is one layer of an image by its content: its DiffID and the size of the smallest blob that holds it. */
export interface ContentLayer {
  diffId: string;
  size: number;
}

/**
 * contentLayers lists an image's layers by content, each once, in config order: the DiffIDs of
 * `configJson` matched to the layers of each manifest by position, each at the smallest blob size
 * any of the manifests gives it (a layer pulled compressed and loaded uncompressed is one layer).
 * A config that will not parse falls back to the blob digests. The one rule behind every image
 * `Size`, computed where images are recorded so listings need not parse configs.
 */
export function contentLayers(
  manifests: readonly { layers: readonly { digest: string; size: number }[] }[],
  configJson: string,
): ContentLayer[] {
  const ids = diffIdsOf(configJson);
  const layers = new Map<string, number>();
  for (const manifest of manifests)
    manifest.layers.forEach((layer, i) => {
      const key = ids?.[i] ?? layer.digest;
      layers.set(key, Math.min(layers.get(key) ?? Infinity, layer.size));
    });
  return [...layers].map(([diffId, size]) => ({ diffId, size }));
}

function diffIdsOf(configJson: string): string[] | undefined {
  try {
    const config = JSON.parse(configJson) as { rootfs?: { diff_ids?: unknown } };
    const ids = config.rootfs?.diff_ids;
    return Array.isArray(ids) && ids.every((d) => typeof d === 'string') ? ids : undefined;
  } catch {
    return undefined;
  }
}
