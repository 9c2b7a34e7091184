import type { ImageManifestRecord, ImageRecord } from '@stevedore/contracts';
import { LayerSizes } from './image-size';

const manifest = (layers: [string, number][]): ImageManifestRecord => ({
  digest: `sha256:${'m'.repeat(64)}`,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  size: 500,
  platform: { os: 'linux', architecture: 'amd64' },
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: 'c', size: 100 },
  layers: layers.map(([digest, size]) => ({ mediaType: 'layer', digest, size })),
});

const image = (id: string, diffIds: string[], ...manifests: ImageManifestRecord[]): ImageRecord =>
  ({
    id,
    repoTags: [],
    repoDigests: [],
    manifests,
    created: '2026-01-01T00:00:00Z',
    addedAt: '2026-01-01T00:00:00Z',
    size: 999,
    labels: {},
    os: 'linux',
    architecture: 'amd64',
    configJson: JSON.stringify({ rootfs: { type: 'layers', diff_ids: diffIds } }),
  }) as ImageRecord;

describe('LayerSizes: one size per layer content, store-wide', () => {
  // A is pulled (gzip blobs) and loaded again (plain tar blobs); B shares A's base layer, as tar.
  const a = image(
    'A',
    ['d1', 'd2'],
    manifest([
      ['gz1', 40],
      ['gz2', 60],
    ]),
    manifest([
      ['t1', 100],
      ['t2', 150],
    ]),
  );
  const b = image(
    'B',
    ['d1', 'd3'],
    manifest([
      ['t1', 100],
      ['t3', 30],
    ]),
  );
  const sizes = LayerSizes.of([a, b]);

  it('counts a layer once, at its smallest blob, whichever image holds it', () => {
    expect(sizes.size(a)).toBe(100);
    expect(sizes.size(b)).toBe(70);
  });

  it('keeps SharedSize between 0 and Size', () => {
    const shared = sizes.sharedSizes([a, b]);
    expect(shared.get('A')).toBe(40);
    expect(shared.get('B')).toBe(40);
    for (const img of [a, b]) expect(shared.get(img.id)).toBeLessThanOrEqual(sizes.size(img));
  });

  it("falls back to the record's size for an image without a manifest", () => {
    expect(LayerSizes.of([]).size(image('C', []))).toBe(999);
  });
});
