import type { ImageRecord } from '@stevedore/contracts';

/** Go's `strconv.ParseInt(s, 10, 0)` accepts a sign and decimal digits that fit an int64. */
const INDEX = /^[+-]?\d{1,18}$/;

/**
 * StageResults is dockerd's `stagesBuildResults`: the stages finished so far, in order. FROM
 * looks a stage up by name only; `COPY --from` by name, else by index, and an index no finished
 * stage has is an error, never an image ID (a `5` must not match an image whose ID starts so).
 */
export class StageResults {
  private readonly flat: { name: string | undefined; image: ImageRecord }[] = [];

  add(name: string | undefined, image: ImageRecord): void {
    this.flat.push({ name, image });
  }

  /** byName is dockerd's `getByName`: names compare case-insensitively. */
  byName(name: string): ImageRecord | undefined {
    const wanted = name.toLowerCase();
    return this.flat.find((s) => s.name !== undefined && s.name.toLowerCase() === wanted)?.image;
  }

  /**
   * get is dockerd's `get`: a stage by name, else by index; `undefined` when the word is neither
   * (it names an image). Throws `index out of bounds` for an index no finished stage has.
   */
  get(nameOrIndex: string): ImageRecord | undefined {
    const named = this.byName(nameOrIndex);
    if (named || !INDEX.test(nameOrIndex)) return named;
    const index = Number(nameOrIndex);
    const stage = index >= 0 ? this.flat[index] : undefined;
    if (!stage) throw new Error('index out of bounds');
    return stage.image;
  }
}
