/** IngestLimits bound what interrupted ingests may keep on disk (the daemon config's `ingest-*` keys). */
export interface IngestLimits {
  /** An ingest untouched for longer than this is stale. */
  readonly maxAgeMs: number;
  /** Beyond this total, the oldest ingests are stale until the rest fits. */
  readonly maxBytes: number;
}

/** KeptIngest is one interrupted ingest as found on disk. */
export interface KeptIngest {
  readonly name: string;
  readonly bytes: number;
  /** When its bytes were last written. */
  readonly modifiedMs: number;
}

/**
 * staleIngests picks the ingests to reclaim: every one older than `maxAgeMs`, then the oldest of
 * the rest until what remains is at most `maxBytes` — the newest downloads are the likeliest to be
 * resumed. `ingests` lists only ingests no one is writing.
 */
export function staleIngests(
  ingests: readonly KeptIngest[],
  limits: IngestLimits,
  now: number,
): KeptIngest[] {
  const oldestFirst = [...ingests].sort((a, b) => a.modifiedMs - b.modifiedMs);
  const expired = oldestFirst.filter((i) => now - i.modifiedMs > limits.maxAgeMs);
  const fresh = oldestFirst.filter((i) => now - i.modifiedMs <= limits.maxAgeMs);
  let kept = fresh.reduce((sum, i) => sum + i.bytes, 0);
  const overflow: KeptIngest[] = [];
  for (const ingest of fresh) {
    if (kept <= limits.maxBytes) break;
    overflow.push(ingest);
    kept -= ingest.bytes;
  }
  return [...expired, ...overflow];
}
