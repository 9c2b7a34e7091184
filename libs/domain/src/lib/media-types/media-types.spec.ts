import {
  MediaType,
  isConfigMediaType,
  isIndexMediaType,
  isLayerMediaType,
  isManifestMediaType,
  isNonDistributableMediaType,
  isSchema1MediaType,
  layerCompression,
  normalizeMediaType,
} from './media-types';

describe('media types', () => {
  it.each([
    [MediaType.OciIndex, 'index'],
    [MediaType.DockerManifestList, 'index'],
    [MediaType.OciManifest, 'manifest'],
    [MediaType.DockerManifest, 'manifest'],
    [MediaType.DockerSchema1Manifest, 'schema1'],
    [MediaType.DockerSchema1SignedManifest, 'schema1'],
    [MediaType.OciConfig, 'config'],
    [MediaType.DockerConfig, 'config'],
    [MediaType.InTotoAttestation, 'other'],
    ['application/json', 'other'],
  ])('classifies %s as %s', (mediaType, kind) => {
    const kinds = [
      isIndexMediaType(mediaType) && 'index',
      isManifestMediaType(mediaType) && 'manifest',
      isSchema1MediaType(mediaType) && 'schema1',
      isConfigMediaType(mediaType) && 'config',
    ].filter(Boolean);
    expect(kinds).toEqual(kind === 'other' ? [] : [kind]);
  });

  it.each([
    [MediaType.OciLayer, 'none', false],
    [MediaType.OciLayerGzip, 'gzip', false],
    [MediaType.OciLayerZstd, 'zstd', false],
    [MediaType.OciLayerNondistributable, 'none', true],
    [MediaType.OciLayerNondistributableGzip, 'gzip', true],
    [MediaType.OciLayerNondistributableZstd, 'zstd', true],
    [MediaType.DockerLayer, 'none', false],
    [MediaType.DockerLayerGzip, 'gzip', false],
    [MediaType.DockerForeignLayerGzip, 'gzip', true],
  ])(
    'knows layer %s: compression %s, non-distributable %s',
    (mediaType, compression, nonDistributable) => {
      expect(isLayerMediaType(mediaType)).toBe(true);
      expect(layerCompression(mediaType)).toBe(compression);
      expect(isNonDistributableMediaType(mediaType)).toBe(nonDistributable);
    },
  );

  it('reads the suffix of an unknown layer type and refuses one without a hint', () => {
    expect(isLayerMediaType('application/vnd.example.layer.v1.tar+gzip')).toBe(false);
    expect(layerCompression('application/vnd.example.layer.v1.tar+gzip')).toBe('gzip');
    expect(layerCompression('application/vnd.example.layer.v1.tar+zstd')).toBe('zstd');
    expect(layerCompression('application/vnd.example.layer.v1.tar')).toBe('none');
    expect(() => layerCompression(MediaType.OciConfig)).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED',
        message: `unsupported layer media type ${MediaType.OciConfig}`,
      }),
    );
  });

  it('ignores Content-Type parameters and case', () => {
    expect(normalizeMediaType(' Application/VND.OCI.image.index.v1+json; charset=utf-8')).toBe(
      MediaType.OciIndex,
    );
    expect(normalizeMediaType('')).toBe('');
  });
});
