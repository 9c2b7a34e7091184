// Test vector T4 of registry-and-formats.md §11: the exact bytes (compact, no trailing newline).
export const T4_CONFIG =
  '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"test layer"}]}';
export const T4_CONFIG_DIGEST =
  'sha256:4816fc47f9198f422029fbbd523aa481129a023089a42f37d2bbecbf64975288';

export const T4_MANIFEST =
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:4816fc47f9198f422029fbbd523aa481129a023089a42f37d2bbecbf64975288","size":329},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef","size":1024}]}';
export const T4_MANIFEST_DIGEST =
  'sha256:6efd14844865508aa08b3f130b6ae48068dd2ee5927505b0ad7c993d18038bd3';

export const T4_INDEX =
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:6efd14844865508aa08b3f130b6ae48068dd2ee5927505b0ad7c993d18038bd3","size":397,"platform":{"architecture":"amd64","os":"linux"}}]}';
export const T4_INDEX_DIGEST =
  'sha256:646b9a080d57d5a1d2d21c2ef79fdecf3749d1c3406452da4bfd118c76a6a703';

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
