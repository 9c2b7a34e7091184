import { imageAndCommand, metadataHarness } from '../../../test/metadata-harness';

describe('RecordPresentImageUseCase', () => {
  let h: ReturnType<typeof metadataHarness>;
  beforeEach(() => {
    h = metadataHarness();
  });
  afterEach(() => h.store.close());

  it('answers present=false and records nothing for an image it does not have', async () => {
    const { image, manifest } = imageAndCommand({ seed: 'a' });
    const result = await h.recordPresent.execute({ id: image.id, manifest, tag: 'busybox' });
    expect(result).toEqual({ present: false });
    expect(await h.store.getImage(image.id)).toBeUndefined();
  });

  it('re-records a stored image with its own config: up to date, then news once the tag moved', async () => {
    const a = imageAndCommand({ seed: 'a', tag: 'docker.io/library/app:1' });
    const b = imageAndCommand({ seed: 'b', tag: 'docker.io/library/app:1' });
    await h.record.execute(a.command);
    await h.record.execute(b.command);
    const present = { id: a.image.id, manifest: a.manifest, tag: 'docker.io/library/app:1' };
    const moved = await h.recordPresent.execute(present);
    expect(moved).toMatchObject({ present: true, changed: true, previousImageId: b.image.id });
    const again = await h.recordPresent.execute({
      ...present,
      repoDigest: `docker.io/library/app@${a.manifest.digest}`,
    });
    expect(again).toMatchObject({ present: true, changed: false });
    if (!again.present) throw new Error('expected the image present');
    expect(again.image.repoTags).toEqual(['docker.io/library/app:1']);
    expect(again.image.repoDigests).toEqual([`docker.io/library/app@${a.manifest.digest}`]);
  });

  it('answers present=false for a stored image reached through an index it does not refer to', async () => {
    const { image, manifest, command } = imageAndCommand({ seed: 'a' });
    await h.record.execute(command);
    const indexDigest = `sha256:${'f'.repeat(64)}`;
    const result = await h.recordPresent.execute({
      id: image.id,
      manifest: { ...manifest, indexDigest },
    });
    expect(result).toEqual({ present: false });
  });
});
