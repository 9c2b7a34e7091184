import { ImageSummaryRecord, LIST_IMAGE_SUMMARIES_V1 } from '@stevedore/contracts';
import { fakeBus } from '../../engine-containers/testing/fake-runtime';
import { parseImageListQuery } from '../filters/image-filters';
import { ImageListing } from './image-listing';

const image = (n: number, tag: string): ImageSummaryRecord => ({
  id: `sha256:${String(n).repeat(64)}`,
  repoTags: [tag],
  repoDigests: [],
  created: `2026-01-0${n}T00:00:00Z`,
  size: 10,
  labels: {},
  layers: [{ diffId: `sha256:${'a'.repeat(64)}`, size: 10 }],
});

describe('ImageListing (conditional listing against a fake metadata)', () => {
  const all = parseImageListQuery(new Map(), Date.now());
  let version = 'v1';
  let images = [image(1, 'docker.io/library/a:1')];
  const asked: unknown[] = [];
  const listing = new ImageListing(
    fakeBus({
      [LIST_IMAGE_SUMMARIES_V1]: (request) => {
        asked.push(request);
        if (request['knownVersion'] === version) return { images: [], version, unchanged: true };
        return { images, version };
      },
    }),
  );

  it('asks every time, reuses its answer while the version holds, and follows a change', async () => {
    const first = await listing.select(all);
    expect(first.map((s) => s.RepoTags)).toEqual([['a:1']]);
    expect(await listing.select(all)).toBe(first);
    expect(asked).toEqual([{}, { knownVersion: 'v1' }]);
    version = 'v2';
    images = [image(2, 'docker.io/library/b:1'), ...images];
    expect((await listing.select(all)).map((s) => s.RepoTags)).toEqual([['b:1'], ['a:1']]);
    expect(asked[2]).toEqual({ knownVersion: 'v1' });
  });

  it('filters the held listing without keeping the filtered answer', async () => {
    const dangling = parseImageListQuery(new Map([['dangling', ['true']]]), Date.now());
    expect(await listing.select(dangling)).toEqual([]);
    expect((await listing.select(all)).length).toBe(2);
  });
});
