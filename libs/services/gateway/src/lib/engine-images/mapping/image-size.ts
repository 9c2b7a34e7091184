import type { ImageRecord, ImageSummaryRecord } from '@stevedore/contracts';
import { ContentLayer, contentLayers } from '@stevedore/domain';

/** SizedImage is what sizing needs of an image: a full record, or a listing's summary of one. */
export type SizedImage = ImageRecord | ImageSummaryRecord;

/**
 * LayerSizes is the one rule for sizes. A layer is its content (DiffID) and is counted once, at
 * one size, whichever images hold it and however it arrived (a compressed blob from a pull, an
 * uncompressed one from a docker-archive): the smallest blob of that content any image lists. So
 * no size depends on which blob came first, and the same layer never counts at two sizes.
 */
export class LayerSizes {
  private readonly sizes = new Map<string, number>();
  /** Each full record's layers, derived once (its config is parsed once per table, not per use). */
  private readonly derived = new WeakMap<ImageRecord, ContentLayer[]>();

  /** LayerSizes.of builds the table from every image the store holds. */
  static of(images: readonly SizedImage[]): LayerSizes {
    const table = new LayerSizes();
    for (const image of images)
      for (const { diffId, size } of table.contentOf(image))
        table.sizes.set(diffId, Math.min(table.sizes.get(diffId) ?? Infinity, size));
    return table;
  }

  /** layers lists an image's layers (DiffIDs, each once) with their sizes. */
  layers(image: SizedImage): { diffId: string; size: number }[] {
    return this.contentOf(image).map(({ diffId }) => ({
      diffId,
      size: this.sizes.get(diffId) ?? 0,
    }));
  }

  /** size is an image's `Size`: the bytes of its layers (the record's own without any). */
  size(image: SizedImage): number {
    const layers = this.contentOf(image);
    if (layers.length === 0) return image.size;
    return layers.reduce((sum, layer) => sum + (this.sizes.get(layer.diffId) ?? 0), 0);
  }

  /**
   * sharedSizes gives each image's `SharedSize`: the bytes of its layers another image holds too.
   * Between 0 and the image's `Size`, so the unique size `docker system df -v` prints
   * (`Size - SharedSize`) is never negative.
   */
  sharedSizes(images: readonly SizedImage[]): Map<string, number> {
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

  /** contentOf is an image's layers by content: a summary carries them, a record's are derived. */
  private contentOf(image: SizedImage): readonly ContentLayer[] {
    if ('layers' in image) return image.layers;
    let layers = this.derived.get(image);
    if (!layers) {
      layers = contentLayers(image.manifests, image.configJson);
      this.derived.set(image, layers);
    }
    return layers;
  }
}
