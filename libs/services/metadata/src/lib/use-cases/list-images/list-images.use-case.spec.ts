import { imageAndCommand, metadataHarness } from '../../../test/metadata-harness';

describe('ListImagesUseCase', () => {
  it('lists every image, tagged or not, newest first', async () => {
    const h = metadataHarness();
    try {
      const old = imageAndCommand({
        seed: 'old',
        created: '2019-01-01T00:00:00Z',
        tag: 'docker.io/library/old:1',
      });
      const recent = imageAndCommand({ seed: 'recent', created: '2024-01-01T00:00:00Z' });
      await h.record.execute(old.command);
      await h.record.execute(recent.command);
      const { images } = await h.list.execute();
      expect(images.map((i) => [i.id, i.repoTags])).toEqual([
        [recent.image.id, []],
        [old.image.id, ['docker.io/library/old:1']],
      ]);
    } finally {
      await h.store.close();
    }
  });
});
