import { createConnection, Connection } from 'mongoose';
import { testImage } from '@stevedore/testing';
import { toImageDoc, toImageRecord } from './mongo-mapping';
import { registerMetadataModels } from './mongo-schemas';

// These run without a server: a mongoose document validates against its schema locally, which
// is enough to prove that what the adapter writes fits the schemas and maps back unchanged.
describe('MongoDB schemas and mapping', () => {
  let connection: Connection;
  beforeAll(() => {
    connection = createConnection();
  });
  afterAll(async () => {
    await connection.close();
  });

  it('accepts the image document the adapter writes and maps it back to the same record', () => {
    const { images } = registerMetadataModels(connection);
    const image = testImage({
      seed: 'mongo',
      labels: { 'org.opencontainers.image.version': '1.2', plain: '' },
      indexDigest: `sha256:${'e'.repeat(64)}`,
    });
    const doc = new images(toImageDoc(image));
    expect(doc.validateSync()).toBeUndefined();
    const refs = [
      { _id: 'docker.io/library/b:1', kind: 'tag' as const, imageId: image.id },
      { _id: 'docker.io/library/a:1', kind: 'tag' as const, imageId: image.id },
    ];
    expect(toImageRecord(doc.toObject(), refs)).toEqual({
      ...image,
      repoTags: ['docker.io/library/a:1', 'docker.io/library/b:1'],
      repoDigests: [],
    });
    expect(doc.blobs).toHaveLength(4);
  });

  it('refuses fields the schemas do not know and references of an unknown kind', () => {
    const { images, refs } = registerMetadataModels(connection);
    expect(() => new images({ ...toImageDoc(testImage({ seed: 'x' })), surprise: 1 })).toThrow(
      /surprise/,
    );
    expect(
      new refs({ _id: 'docker.io/library/a:1', kind: 'branch', imageId: 'x' }).validateSync()
        ?.errors['kind'],
    ).toBeDefined();
  });
});
