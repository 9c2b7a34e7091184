import { mergeNewestFirst, sortNewestFirst } from './newest-first';

const image = (id: string, created: string) => ({ id, created });

describe('newest-first listing order', () => {
  it('sorts by created, newest first, then by id', () => {
    const images = [
      image('b', '2024-01-01T00:00:00Z'),
      image('c', '2025-01-01T00:00:00Z'),
      image('a', '2024-01-01T00:00:00Z'),
      image('d', 'not a time'),
    ];
    expect(sortNewestFirst(images).map((i) => i.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('merges new images in at the places a full sort would give them', () => {
    const times = ['2020', '2021', '2021', '2022', '2023', '2023', '2024'];
    const all = times.map((year, i) => image(`id${i}`, `${year}-06-01T00:00:00Z`));
    for (let mask = 0; mask < 1 << all.length; mask++) {
      const kept = all.filter((_, i) => (mask & (1 << i)) !== 0);
      const more = all.filter((_, i) => (mask & (1 << i)) === 0);
      const merged = mergeNewestFirst(sortNewestFirst([...kept]), more.reverse());
      expect(merged).toEqual(sortNewestFirst([...all]));
    }
  });
});
