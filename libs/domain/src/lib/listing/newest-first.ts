/** What the listing order needs of an image record. */
export interface Dated {
  id: string;
  created: string;
}

function timeOf(image: Dated): number {
  const t = Date.parse(image.created);
  return Number.isNaN(t) ? 0 : t;
}

function byNewest(a: { t: number; id: string }, b: { t: number; id: string }): number {
  return b.t - a.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** sortNewestFirst orders images by `created`, newest first, then by id (Docker's `images` order). */
export function sortNewestFirst<T extends Dated>(images: T[]): T[] {
  // Each time is parsed once, not twice per comparison (n log n parses on a large listing).
  const keyed = images.map((image) => ({ image, t: timeOf(image), id: image.id }));
  keyed.sort(byNewest);
  keyed.forEach(({ image }, i) => (images[i] = image));
  return images;
}

/**
 * mergeNewestFirst returns `sorted` (in {@link sortNewestFirst} order) with `more` merged in at
 * their places, in one pass over `sorted`: a listing updated with a few changed images is not
 * sorted again.
 */
export function mergeNewestFirst<T extends Dated>(sorted: readonly T[], more: readonly T[]): T[] {
  const extra = more.map((image) => ({ image, t: timeOf(image), id: image.id })).sort(byNewest);
  const merged: T[] = [];
  let next = 0;
  for (const image of sorted) {
    const key = { t: timeOf(image), id: image.id };
    for (let e = extra[next]; e !== undefined && byNewest(e, key) <= 0; e = extra[++next])
      merged.push(e.image);
    merged.push(image);
  }
  for (const e of extra.slice(next)) merged.push(e.image);
  return merged;
}
