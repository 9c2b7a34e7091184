import { testImagesSharingPrefix } from '@stevedore/testing';
import { failure, imageAndCommand, metadataHarness } from '../../../test/metadata-harness';

describe('GetImageUseCase', () => {
  let h: ReturnType<typeof metadataHarness>;
  beforeEach(() => {
    h = metadataHarness();
  });
  afterEach(() => h.store.close());

  it('finds an image by every spelling the docker CLI sends', async () => {
    const { image, manifest, command } = imageAndCommand({
      seed: 'a',
      tag: 'docker.io/library/busybox:latest',
    });
    await h.record.execute({
      ...command,
      repoDigest: `docker.io/library/busybox@${manifest.digest}`,
    });
    const hex = image.id.slice('sha256:'.length);
    const spellings = [
      image.id,
      hex,
      hex.slice(0, 12),
      `sha256:${hex.slice(0, 5)}`,
      'busybox',
      'busybox:latest',
      'library/busybox',
      'docker.io/library/busybox:latest',
      `busybox@${manifest.digest}`,
      `index.docker.io/library/busybox@${manifest.digest}`,
    ];
    for (const ref of spellings) {
      expect((await h.get.execute({ ref }))?.id).toBe(image.id);
    }
  });

  it("answers NOT_FOUND with Docker's text for unknown names, IDs and untagged names", async () => {
    const { image, command } = imageAndCommand({ seed: 'a', tag: 'docker.io/library/busybox:1' });
    await h.record.execute(command);
    for (const ref of ['nosuch:1', 'busybox', `sha256:${'0'.repeat(64)}`, 'deadbeef']) {
      expect(await failure(h.get.execute({ ref }))).toMatchObject({
        code: 'NOT_FOUND',
        message: `No such image: ${ref}`,
      });
    }
    expect((await h.get.execute({ ref: 'busybox:1' })).id).toBe(image.id);
  });

  it('treats an ambiguous ID prefix as not found, as Docker does, while a longer one works', async () => {
    const [a, b] = testImagesSharingPrefix(2);
    await h.store.putImage(a);
    await h.store.putImage(b);
    const shared = a.id.slice(7, 9);
    expect(await failure(h.get.execute({ ref: shared }))).toMatchObject({
      code: 'NOT_FOUND',
      message: `No such image: ${shared}`,
    });
    expect((await h.get.execute({ ref: a.id.slice(7, 30) })).id).toBe(a.id);
  });

  it('prefers a name over an ID prefix that spells the same', async () => {
    const [a, b] = testImagesSharingPrefix(3);
    const prefix = a.id.slice(7, 10);
    await h.store.putImage(a);
    await h.store.putImage(b);
    const c = imageAndCommand({ seed: 'c' }).image;
    await h.store.putImage(c, { tag: `docker.io/library/${prefix}:latest` });
    expect((await h.get.execute({ ref: prefix })).id).toBe(c.id);
  });

  it('answers INVALID_ARGUMENT for input that is neither a name nor an ID', async () => {
    for (const ref of ['BAD NAME', 'busybox:', '-leading-dash', 'a@sha256:abc']) {
      expect(await failure(h.get.execute({ ref }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
