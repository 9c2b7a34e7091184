import { failure, imageAndCommand, metadataHarness } from '../../../test/metadata-harness';

describe('TagImageUseCase', () => {
  let h: ReturnType<typeof metadataHarness>;
  beforeEach(() => {
    h = metadataHarness();
  });
  afterEach(() => h.store.close());

  it('adds a normalised tag and sets lastTagTime', async () => {
    const { image, command } = imageAndCommand({
      seed: 'a',
      tag: 'docker.io/library/busybox:latest',
    });
    await h.record.execute(command);
    h.clock.current = new Date('2025-03-03T00:00:00.000Z');
    const tagged = await h.tag.execute({ id: image.id, tag: '127.0.0.1:5000/mybusybox' });
    expect(tagged.repoTags).toEqual([
      '127.0.0.1:5000/mybusybox:latest',
      'docker.io/library/busybox:latest',
    ]);
    expect(tagged.lastTagTime).toBe('2025-03-03T00:00:00.000Z');
  });

  it('moves the tag off the image that had it', async () => {
    const a = imageAndCommand({ seed: 'a', tag: 'docker.io/library/app:1' });
    const b = imageAndCommand({ seed: 'b' });
    await h.record.execute(a.command);
    await h.record.execute(b.command);
    await h.tag.execute({ id: b.image.id, tag: 'docker.io/library/app:1' });
    expect((await h.get.execute({ ref: 'app:1' })).id).toBe(b.image.id);
    expect((await h.store.getImage(a.image.id))?.repoTags).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown image and refuses tags Docker refuses', async () => {
    const { image, command } = imageAndCommand({ seed: 'a' });
    const missing = await failure(h.tag.execute({ id: image.id, tag: 'docker.io/library/app:1' }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: `No such image: ${image.id}` });
    await h.record.execute(command);
    expect(await failure(h.tag.execute({ id: image.id, tag: 'sha256:1' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'refusing to create an ambiguous tag using digest algorithm as name',
    });
    expect(
      await failure(h.tag.execute({ id: image.id, tag: `app@sha256:${'4'.repeat(64)}` })),
    ).toMatchObject({
      message: 'refusing to create a tag with a digest reference',
    });
  });
});
