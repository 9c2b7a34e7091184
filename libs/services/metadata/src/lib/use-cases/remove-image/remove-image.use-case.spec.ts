import { chainIds, Digest } from '@stevedore/domain';
import { failure, imageAndCommand, metadataHarness } from '../../../test/metadata-harness';

const chainOf = (configJson: string) =>
  chainIds(
    (JSON.parse(configJson) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids.map((d) =>
      Digest.parse(d),
    ),
  ).map(String);

describe('RemoveImageUseCase', () => {
  let h: ReturnType<typeof metadataHarness>;
  beforeEach(() => {
    h = metadataHarness();
  });
  afterEach(() => h.store.close());

  /** busybox:latest + busybox@digest on image A (layers base, top); image B shares the base layer. */
  async function seed() {
    const a = imageAndCommand({
      seed: 'a',
      layers: ['base', 'top'],
      tag: 'docker.io/library/busybox:latest',
    });
    const digestRef = `docker.io/library/busybox@${a.manifest.digest}`;
    await h.record.execute({ ...a.command, repoDigest: digestRef });
    const b = imageAndCommand({ seed: 'b', layers: ['base'], tag: 'docker.io/library/other:1' });
    await h.record.execute(b.command);
    return { a, b, digestRef, chain: chainOf(a.image.configJson) };
  }

  it('only untags when another tag still points at the image', async () => {
    const { a } = await seed();
    await h.tag.execute({ id: a.image.id, tag: 'docker.io/library/mybusybox:latest' });
    const result = await h.remove.execute({ ref: 'mybusybox:latest' });
    expect(result).toEqual({ items: [{ Untagged: 'mybusybox:latest' }], releasedBlobs: [] });
    expect((await h.get.execute({ ref: 'busybox' })).id).toBe(a.image.id);
  });

  it('with keepImage only untags the last name (and its digests), keeping the image a container uses', async () => {
    const { a, digestRef } = await seed();
    const result = await h.remove.execute({ ref: 'busybox', keepImage: true });
    expect(result).toEqual({
      items: [{ Untagged: 'busybox:latest' }, { Untagged: `busybox@${digestRef.split('@')[1]}` }],
      releasedBlobs: [],
    });
    const kept = await h.get.execute({ ref: a.image.id });
    expect(kept.repoTags).toEqual([]);
  });

  it('deletes the image with its last tag: same-repo digests, image, then unshared layers top first', async () => {
    const { a, chain } = await seed();
    const [base, top] = a.manifest.layers.map((l) => l.digest) as [string, string];
    const result = await h.remove.execute({ ref: 'busybox' });
    expect(result.items).toEqual([
      { Untagged: 'busybox:latest' },
      { Untagged: `busybox@${a.manifest.digest}` },
      { Deleted: a.image.id },
      { Deleted: chain[1] },
    ]);
    expect(result.releasedBlobs.sort()).toEqual([a.manifest.digest, a.image.id, top].sort());
    expect(await h.store.referencedBlobs([base, top])).toEqual([base]);
    expect(await failure(h.get.execute({ ref: a.image.id }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the image when a digest reference of another repository remains', async () => {
    const { a } = await seed();
    const mirror = `127.0.0.1:5000/busybox@${a.manifest.digest}`;
    await h.store.addRepoDigest(a.image.id, mirror);
    const result = await h.remove.execute({ ref: 'busybox:latest' });
    expect(result.items).toEqual([
      { Untagged: 'busybox:latest' },
      { Untagged: `busybox@${a.manifest.digest}` },
    ]);
    expect((await h.get.execute({ ref: mirror })).repoDigests).toEqual([mirror]);
  });

  it('removes just a digest reference when asked by digest', async () => {
    const { a } = await seed();
    const result = await h.remove.execute({ ref: `busybox@${a.manifest.digest}` });
    expect(result).toEqual({
      items: [{ Untagged: `busybox@${a.manifest.digest}` }],
      releasedBlobs: [],
    });
    expect((await h.get.execute({ ref: 'busybox:latest' })).repoDigests).toEqual([]);
  });

  it('deletes by short ID an image referenced from one repository, untagging in lexical order', async () => {
    const { a, chain } = await seed();
    const result = await h.remove.execute({ ref: a.image.id.slice(7, 19) });
    expect(result.items).toEqual([
      { Untagged: 'busybox:latest' },
      { Untagged: `busybox@${a.manifest.digest}` },
      { Deleted: a.image.id },
      { Deleted: chain[1] },
    ]);
  });

  it("refuses by ID an image tagged in several repositories unless forced, with Docker's message", async () => {
    const { a, chain } = await seed();
    await h.tag.execute({ id: a.image.id, tag: '127.0.0.1:5000/mybusybox:v1' });
    const error = await failure(h.remove.execute({ ref: a.image.id }));
    expect(error).toMatchObject({
      code: 'CONFLICT',
      message: `conflict: unable to delete ${a.image.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
    });
    expect((await h.get.execute({ ref: a.image.id })).repoTags).toHaveLength(2);
    const forced = await h.remove.execute({ ref: a.image.id, force: true });
    expect(forced.items).toEqual([
      { Untagged: '127.0.0.1:5000/mybusybox:v1' },
      { Untagged: 'busybox:latest' },
      { Untagged: `busybox@${a.manifest.digest}` },
      { Deleted: a.image.id },
      { Deleted: chain[1] },
    ]);
  });

  it('deletes an untagged image by ID and releases every layer when none is shared', async () => {
    const lone = imageAndCommand({ seed: 'lone', layers: ['l1', 'l2'] });
    await h.record.execute(lone.command);
    const chain = chainOf(lone.image.configJson);
    const result = await h.remove.execute({ ref: lone.image.id });
    expect(result.items).toEqual([
      { Deleted: lone.image.id },
      { Deleted: chain[1] },
      { Deleted: chain[0] },
    ]);
    expect(result.releasedBlobs).toHaveLength(4);
  });

  it("answers NOT_FOUND with Docker's text for an unknown image", async () => {
    await seed();
    expect(await failure(h.remove.execute({ ref: 'nosuch' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such image: nosuch',
    });
  });
});
