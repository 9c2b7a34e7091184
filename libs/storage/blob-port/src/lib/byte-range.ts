import type { ByteRange } from './blob-store.port';

/** lastByte is the inclusive end of `range` in a blob of `size` bytes: its end, or the blob's. */
export function lastByte(size: number, range?: ByteRange): number {
  return Math.min(range?.end ?? size - 1, size - 1);
}
