import { Injectable } from '@nestjs/common';
import {
  ImageSummaryListV1,
  ImageSummaryRecord,
  LIST_IMAGE_SUMMARIES_V1,
} from '@stevedore/contracts';
import { mergeNewestFirst } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import type { ImageSummary } from '../engine-types';
import { ImageListQuery, selectImages } from '../filters/image-filters';
import { LayerSizes, SizedImage } from '../mapping/image-size';
import { toImageSummary } from '../mapping/image-summary';

/** A listing as metadata last sent it, and the unfiltered answer made of it (made on first use). */
interface Held {
  version: string;
  images: ImageSummaryRecord[];
  unfiltered?: ImageSummary[];
}

/**
 * ImageListing fetches the images' summary columns from metadata, conditionally: it keeps the last
 * listing under the version metadata gave it and sends that version along, so while nothing changed
 * the answer is a few bytes (`unchanged`) instead of every image again, and the unfiltered list is
 * not rebuilt either; after a change, metadata sends the images changed since and this applies
 * them. Every call still asks metadata, so a listing is never stale.
 */
@Injectable()
export class ImageListing {
  private held: Held | undefined;
  private readonly summaryCache = new SummaryCache();

  constructor(private readonly bus: Bus) {}

  /** select lists the images `query` selects (no `before`/`since` bounds: those take {@link selectImages} directly). */
  async select(query: ImageListQuery): Promise<ImageSummary[]> {
    const held = await this.current();
    if (!isUnfiltered(query) || !('version' in held)) return selectImages(held.images, query);
    held.unfiltered ??= selectImages(held.images, query, {}, this.summaryCache.summarize);
    return held.unfiltered;
  }

  /** summaries answers every image's summary record. */
  async summaries(): Promise<ImageSummaryRecord[]> {
    return (await this.current()).images;
  }

  private async current(): Promise<Held | { images: ImageSummaryRecord[] }> {
    // `held` is the listing the request names: a concurrent call may replace this.held meanwhile.
    const held = this.held;
    const answer = await this.ask(held?.version);
    if (answer.unchanged && held && answer.version === held.version) return held;
    if (answer.since !== undefined) {
      if (!held || answer.since !== held.version || !answer.version) return this.refetch();
      const images = applyChanges(held.images, answer.images, answer.removed ?? []);
      this.held = { version: answer.version, images };
      return this.held;
    }
    return this.keep(answer);
  }

  /** refetch asks for the whole listing (an answer it cannot apply is not trusted). */
  private async refetch(): Promise<Held | { images: ImageSummaryRecord[] }> {
    return this.keep(await this.ask(undefined));
  }

  private keep(answer: ImageSummaryListV1): Held | { images: ImageSummaryRecord[] } {
    this.held = answer.version ? { version: answer.version, images: answer.images } : undefined;
    return this.held ?? { images: answer.images };
  }

  private ask(knownVersion: string | undefined): Promise<ImageSummaryListV1> {
    return this.bus.send<ImageSummaryListV1>(
      LIST_IMAGE_SUMMARIES_V1,
      knownVersion === undefined ? {} : { knownVersion },
    );
  }
}

/** applyChanges is `images` (newest first) without the removed images, changed ones in their new places. */
function applyChanges(
  images: readonly ImageSummaryRecord[],
  changed: ImageSummaryRecord[],
  removed: readonly string[],
): ImageSummaryRecord[] {
  const gone = new Set([...removed, ...changed.map((image) => image.id)]);
  return mergeNewestFirst(
    images.filter((image) => !gone.has(image.id)),
    changed,
  );
}

/** isUnfiltered is true for a query that selects every image (`docker images` without filters). */
function isUnfiltered(query: ImageListQuery): boolean {
  return (
    query.labels.length === 0 &&
    query.references.length === 0 &&
    query.dangling === undefined &&
    query.before === undefined &&
    query.since === undefined &&
    query.until === undefined
  );
}

/**
 * SummaryCache keeps each image's summary, and so its JSON, across listings: an image that did not
 * change keeps its record (the listing is patched with changes, not replaced), and its summary
 * stays right while its `Size` does (that depends on the other images' layers).
 */
class SummaryCache {
  private readonly held = new WeakMap<SizedImage, ImageSummary>();

  readonly summarize = (image: SizedImage, sizes: LayerSizes): ImageSummary => {
    const summary = this.held.get(image);
    if (summary !== undefined && summary.Size === sizes.size(image)) return summary;
    const made = toImageSummary(image, sizes);
    this.held.set(image, made);
    return made;
  };
}

/** The JSON of each listing answer, and of each summary in it, kept as long as they are. */
const rendered = new WeakMap<ImageSummary[], string>();
const renderedSummaries = new WeakMap<ImageSummary, string>();

/**
 * listingJson is `list` as JSON, rendered once per list and once per summary: {@link ImageListing}
 * hands out the same unfiltered list while the images are unchanged, and the same summaries for
 * the images that did not change, so `docker images` does not serialise every summary again (4 MB
 * with 10,000 images) after each change.
 */
export function listingJson(list: ImageSummary[]): string {
  let json = rendered.get(list);
  if (json === undefined) {
    json = `[${list.map(summaryJson).join(',')}]`;
    rendered.set(list, json);
  }
  return json;
}

function summaryJson(summary: ImageSummary): string {
  let json = renderedSummaries.get(summary);
  if (json === undefined) {
    json = JSON.stringify(summary);
    renderedSummaries.set(summary, json);
  }
  return json;
}
