import { KeptIngest, staleIngests } from './stale-ingests';

const HOUR = 3_600_000;
const now = 100 * HOUR;
const at = (name: string, hoursAgo: number, bytes: number): KeptIngest => ({
  name,
  bytes,
  modifiedMs: now - hoursAgo * HOUR,
});
const names = (list: KeptIngest[]) => list.map((i) => i.name);

describe('staleIngests', () => {
  it('picks every ingest older than the age limit', () => {
    const ingests = [at('new', 1, 10), at('old', 25, 10), at('older', 48, 10)];
    expect(names(staleIngests(ingests, { maxAgeMs: 24 * HOUR, maxBytes: 1_000 }, now))).toEqual([
      'older',
      'old',
    ]);
  });

  it('beyond the size limit, picks the oldest until the rest fits', () => {
    const ingests = [at('c', 1, 40), at('a', 3, 40), at('b', 2, 40)];
    expect(names(staleIngests(ingests, { maxAgeMs: 24 * HOUR, maxBytes: 50 }, now))).toEqual([
      'a',
      'b',
    ]);
    expect(staleIngests(ingests, { maxAgeMs: 24 * HOUR, maxBytes: 120 }, now)).toEqual([]);
  });

  it('with both limits at zero, picks everything', () => {
    const ingests = [at('a', 0.5, 0), at('b', 1, 5)];
    expect(names(staleIngests(ingests, { maxAgeMs: 0, maxBytes: 0 }, now))).toEqual(['b', 'a']);
  });
});
