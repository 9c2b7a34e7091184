import { Injectable } from '@nestjs/common';
import {
  ImageSummaryListV1,
  ImageSummaryRecord,
  LIST_IMAGE_SUMMARIES_V1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import type { ImageSummary } from '../engine-types';
import { ImageListQuery, selectImages } from '../filters/image-filters';

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
 * not rebuilt either. Every call still asks metadata, so a listing is never stale.
 */
@Injectable()
export class ImageListing {
  private held: Held | undefined;

  constructor(private readonly bus: Bus) {}

  /** select lists the images `query` selects (no `before`/`since` bounds: those take {@link selectImages} directly). */
  async select(query: ImageListQuery): Promise<ImageSummary[]> {
    const held = await this.current();
    if (!isUnfiltered(query) || !('version' in held)) return selectImages(held.images, query);
    held.unfiltered ??= selectImages(held.images, query);
    return held.unfiltered;
  }

  /** summaries answers every image's summary record. */
  async summaries(): Promise<ImageSummaryRecord[]> {
    return (await this.current()).images;
  }

  private async current(): Promise<Held | { images: ImageSummaryRecord[] }> {
    const held = this.held;
    const answer = await this.bus.send<ImageSummaryListV1>(
      LIST_IMAGE_SUMMARIES_V1,
      held ? { knownVersion: held.version } : {},
    );
    if (answer.unchanged && held && answer.version === held.version) return held;
    this.held = answer.version ? { version: answer.version, images: answer.images } : undefined;
    return this.held ?? { images: answer.images };
  }
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

/** The JSON of each listing answer, kept as long as the answer itself. */
const rendered = new WeakMap<ImageSummary[], string>();

/**
 * listingJson is `list` as JSON, rendered once per list: {@link ImageListing} hands out the same
 * unfiltered list while the images are unchanged, so `docker images` against an unchanged store
 * is answered without serialising every summary again (4 MB with 10,000 images).
 */
export function listingJson(list: ImageSummary[]): string {
  let json = rendered.get(list);
  if (json === undefined) {
    json = JSON.stringify(list);
    rendered.set(list, json);
  }
  return json;
}
