import { MemoryBlobStore } from '@stevedore/testing';
import { load, t5Members } from '../../test/archives';
import { TarMember, tarOf } from '../../test/tar-helpers';

/** Our save of T4 whose index.json lists its one manifest `count` times, named by `nameOf(i)`. */
async function repeatedIndex(count: number, nameOf: (i: number) => string): Promise<Buffer> {
  const members = await t5Members();
  return tarOf(
    members.map((m): TarMember => {
      if (m.name !== 'index.json') return m;
      const index = JSON.parse(String(m.data));
      const [entry] = index.manifests;
      index.manifests = Array.from({ length: count }, (_, i) => ({
        ...entry,
        annotations: { 'io.containerd.image.name': nameOf(i) },
      }));
      return { ...m, data: JSON.stringify(index) };
    }),
  );
}

/** Our save of T4 whose manifest.json repeats its one entry `count` times (no index.json). */
async function repeatedManifestJson(count: number, nameOf: (i: number) => string): Promise<Buffer> {
  const members = (await t5Members()).filter((m) => m.name !== 'index.json');
  return tarOf(
    members.map((m): TarMember => {
      if (m.name !== 'manifest.json') return m;
      const [entry] = JSON.parse(String(m.data));
      const entries = Array.from({ length: count }, (_, i) => ({
        ...entry,
        RepoTags: [nameOf(i)],
      }));
      return { ...m, data: JSON.stringify(entries) };
    }),
  );
}

describe('readArchive names: many entries for one image stay linear and bounded', () => {
  it.each([
    ['index.json', repeatedIndex],
    ['manifest.json', repeatedManifestJson],
  ])('reads 5000 %s entries repeating one name as one tag, quickly', async (_what, make) => {
    const bytes = await make(5000, () => 'docker.io/library/app:1.0');
    const started = performance.now();
    const { images } = await load(bytes, new MemoryBlobStore());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(images.map((i) => i.repoTags)).toEqual([['docker.io/library/app:1.0']]);
  });

  it('gives one image its 1000 distinct names', async () => {
    const bytes = await repeatedIndex(1000, (i) => `docker.io/library/app:t${i}`);
    const { images } = await load(bytes, new MemoryBlobStore());
    expect(images).toHaveLength(1);
    expect(images[0]?.repoTags).toHaveLength(1000);
  });

  it.each([
    ['index.json', repeatedIndex],
    ['manifest.json', repeatedManifestJson],
  ])('refuses more than 1000 distinct names in %s, committing nothing', async (_what, make) => {
    const store = new MemoryBlobStore();
    const bytes = await make(5000, (i) => `docker.io/library/app:t${i}`);
    await expect(load(bytes, store)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'invalid archive: more than 1000 image names (tags)',
    });
    expect(store.committed()).toEqual([]);
  });
});
