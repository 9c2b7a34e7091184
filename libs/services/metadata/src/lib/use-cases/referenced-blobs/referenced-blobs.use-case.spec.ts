import { imageAndCommand, metadataHarness } from '../../../test/metadata-harness';

describe('ReferencedBlobsUseCase', () => {
  it('answers which digests an image still refers to, until the image is removed', async () => {
    const h = metadataHarness();
    try {
      const { image, manifest, command } = imageAndCommand({ seed: 'a', layers: ['one'] });
      await h.record.execute(command);
      const [layer] = manifest.layers.map((l) => l.digest) as [string];
      const stranger = `sha256:${'9'.repeat(64)}`;
      expect(await h.referenced.execute({ digests: [stranger, layer, image.id] })).toEqual({
        referenced: [layer, image.id],
      });
      await h.remove.execute({ ref: image.id });
      expect(await h.referenced.execute({ digests: [stranger, layer, image.id] })).toEqual({
        referenced: [],
      });
    } finally {
      await h.store.close();
    }
  });
});
