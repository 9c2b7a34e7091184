import type { SaveImage } from '../lib/plan/plan-docker-save';
import type { MemoryBlobStore } from '@stevedore/testing';

/** T4 of shared/reference/registry-and-formats.md: the minimal one-empty-layer image, byte-exact. */
export const T4 = {
  layer: Buffer.alloc(1024),
  layerDigest: 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
  config:
    '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"test layer"}]}',
  configDigest: 'sha256:4816fc47f9198f422029fbbd523aa481129a023089a42f37d2bbecbf64975288',
  manifest:
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:4816fc47f9198f422029fbbd523aa481129a023089a42f37d2bbecbf64975288","size":329},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef","size":1024}]}',
  manifestDigest: 'sha256:6efd14844865508aa08b3f130b6ae48068dd2ee5927505b0ad7c993d18038bd3',
} as const;

/** T5: the files of `docker save` of T4 tagged `app:1.0` (Docker ≥ 25), byte-exact. */
export const T5 = {
  ociLayout: '{"imageLayoutVersion": "1.0.0"}',
  index:
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:6efd14844865508aa08b3f130b6ae48068dd2ee5927505b0ad7c993d18038bd3","size":397,"annotations":{"io.containerd.image.name":"docker.io/library/app:1.0","org.opencontainers.image.ref.name":"1.0"}}]}',
  manifestJson:
    '[{"Config":"blobs/sha256/4816fc47f9198f422029fbbd523aa481129a023089a42f37d2bbecbf64975288","RepoTags":["app:1.0"],"Layers":["blobs/sha256/5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"]}]\n',
  repositories:
    '{"app":{"1.0":"5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"}}\n',
} as const;

/** putT4 commits the three T4 blobs into `store` and describes the image for planDockerSave. */
export function putT4(store: MemoryBlobStore, repoTags: string[] = ['app:1.0']): SaveImage {
  store.put(T4.layer);
  store.put(T4.config);
  store.put(T4.manifest);
  return {
    repoTags,
    manifest: {
      digest: T4.manifestDigest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 397,
    },
    config: { digest: T4.configDigest, size: 329 },
    layers: [
      { digest: T4.layerDigest, size: 1024, mediaType: 'application/vnd.oci.image.layer.v1.tar' },
    ],
  };
}
