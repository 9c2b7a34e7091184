import type { ImageRecord } from '@stevedore/contracts';

/**
 * LayerSizes is the one rule for sizes. A layer is its content (DiffID) and is counted once, at
 * one size, whichever images hold it and however it arrived (a compressed blob from a pull, an
 * uncompressed one from a docker-archive): the smallest blob of that content any image lists. So
 * no size depends on which blob came first, and the same layer never counts at two sizes.
 */
export class LayerSizes {
  private readonly sizes = new Map<string, number>();

  /** LayerSizes.of builds the table from every image the store holds. */
  static of(images: readonly ImageRecord[]): LayerSizes {
    const table = new LayerSizes();
    for (const image of images)
      for (const [diffId, size] of blobsByContent(image))
        table.sizes.set(diffId, Math.min(table.sizes.get(diffId) ?? Infinity, size));
    return table;
  }

  /** layers lists an image's layers (DiffIDs, each once) with their sizes. */
  layers(image: ImageRecord): { diffId: string; size: number }[] {
    return [...blobsByContent(image).keys()].map((diffId) => ({
      diffId,
      size: this.sizes.get(diffId) ?? 0,
    }));
  }

  /** size is an image's `Size`: the bytes of its layers (the record's own without a manifest). */
  size(image: ImageRecord): number {
    if (image.manifests.length === 0) return image.size;
    return this.layers(image).reduce((sum, layer) => sum + layer.size, 0);
  }

  /**
   * sharedSizes gives each image's `SharedSize`: the bytes of its layers another image holds too.
   * Between 0 and the image's `Size`, so the unique size `docker system df -v` prints
   * (`Size - SharedSize`) is never negative.
   */
  sharedSizes(images: readonly ImageRecord[]): Map<string, number> {
    const users = new Map<string, number>();
    for (const image of images)
      for (const { diffId } of this.layers(image)) users.set(diffId, (users.get(diffId) ?? 0) + 1);
    return new Map(
      images.map((image) => [
        image.id,
        this.layers(image)
          .filter((l) => (users.get(l.diffId) ?? 0) > 1)
          .reduce((sum, l) => sum + l.size, 0),
      ]),
    );
  }
}

/**
 * blobsByContent maps an image's DiffIDs to the smallest blob that holds each: its manifests list
 * the layers in config order (a config that will not parse falls back to blob digests).
 */
function blobsByContent(image: ImageRecord): Map<string, number> {
  const ids = diffIdsOf(image);
  const layers = new Map<string, number>();
  for (const manifest of image.manifests)
    manifest.layers.forEach((layer, i) => {
      const key = ids?.[i] ?? layer.digest;
      layers.set(key, Math.min(layers.get(key) ?? Infinity, layer.size));
    });
  return layers;
}

function diffIdsOf(image: ImageRecord): string[] | undefined {
  try {
    const config = JSON.parse(image.configJson) as { rootfs?: { diff_ids?: unknown } };
    const ids = config.rootfs?.diff_ids;
    return Array.isArray(ids) && ids.every((d) => typeof d === 'string') ? ids : undefined;
  } catch {
    return undefined;
  }
}
