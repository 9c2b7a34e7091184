import type { ImageRecord } from '@stevedore/contracts';
import type { ParentImage } from '../commit/child-image';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** manifestOf is the image's manifest whose layers are its config's diff IDs. */
export function manifestOf(image: ImageRecord) {
  const count = (JSON.parse(image.configJson || '{}') as ParentImage).rootfs?.diff_ids?.length ?? 0;
  const found = image.manifests.find((m) => m.layers.length === count);
  if (!found) throw new Error(`image ${image.id} has no manifest with ${count} layers`);
  return found;
}

/** scratchImage stands for `FROM scratch`: no layers, no config, the host's platform. */
export function scratchImage(): ImageRecord {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const none = { mediaType: '', digest: '', size: 0 };
  return {
    id: '',
    repoTags: [],
    repoDigests: [],
    manifests: [
      {
        digest: '',
        mediaType: DOCKER_MANIFEST,
        size: 0,
        platform: { os: 'linux', architecture: arch },
        config: none,
        layers: [],
      },
    ],
    created: '',
    addedAt: '',
    size: 0,
    labels: {},
    os: 'linux',
    architecture: arch,
    configJson: '{}',
  };
}
