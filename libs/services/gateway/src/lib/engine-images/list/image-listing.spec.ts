import { ImageSummaryRecord, LIST_IMAGE_SUMMARIES_V1 } from '@stevedore/contracts';
import { fakeBus } from '../../engine-containers/testing/fake-runtime';
import { parseImageListQuery } from '../filters/image-filters';
import { ImageListing, listingJson } from './image-listing';

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
    expect(listingJson(first)).toBe(JSON.stringify(first));
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

  it('applies the changes metadata sends since the held version, and refetches an answer it cannot apply', async () => {
    const held = [image(3, 'docker.io/library/c:1'), image(1, 'docker.io/library/a:1')];
    const answers = [
      { images: held, version: 'v3' },
      {
        images: [image(2, 'docker.io/library/b:2')],
        removed: [held[0]?.id],
        since: 'v3',
        version: 'v4',
      },
      { images: [], removed: [], since: 'v0', version: 'v5' },
      { images: held, version: 'v5' },
    ];
    const requests: unknown[] = [];
    const changing = new ImageListing(
      fakeBus({
        [LIST_IMAGE_SUMMARIES_V1]: (request) => {
          requests.push(request);
          return answers.shift() as object;
        },
      }),
    );
    expect((await changing.select(all)).map((s) => s.RepoTags)).toEqual([['c:1'], ['a:1']]);
    const patched = await changing.select(all);
    expect(patched.map((s) => s.RepoTags)).toEqual([['b:2'], ['a:1']]);
    expect(listingJson(patched)).toBe(JSON.stringify(patched));
    expect((await changing.select(all)).map((s) => s.RepoTags)).toEqual([['c:1'], ['a:1']]);
    expect(requests).toEqual([{}, { knownVersion: 'v3' }, { knownVersion: 'v4' }, {}]);
  });
});
