import { DomainError } from '../errors/domain-error';

/** MediaType holds the media types of image documents and layers that Stevedore recognises. */
export const MediaType = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  OciLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  OciLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  OciLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  OciEmpty: 'application/vnd.oci.empty.v1+json',
  OciLayoutHeader: 'application/vnd.oci.layout.header.v1+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  DockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  DockerPluginConfig: 'application/vnd.docker.plugin.v1+json',
  DockerSchema1Manifest: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerSchema1SignedManifest: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  InTotoAttestation: 'application/vnd.in-toto+json',
} as const;

/** IndexMediaType is a media type of a multi-platform index (OCI index or Docker manifest list). */
export type IndexMediaType = typeof MediaType.OciIndex | typeof MediaType.DockerManifestList;
/** ImageManifestMediaType is a media type of a single-platform image manifest (OCI or Docker schema 2). */
export type ImageManifestMediaType = typeof MediaType.OciManifest | typeof MediaType.DockerManifest;
/** ManifestMediaType is any supported manifest document type (index or image manifest). */
export type ManifestMediaType = IndexMediaType | ImageManifestMediaType;
/** LayerCompression is how a layer blob is compressed. */
export type LayerCompression = 'gzip' | 'zstd' | 'none';

/** MANIFEST_MEDIA_TYPES lists the four supported manifest types, in the order of our Accept header. */
export const MANIFEST_MEDIA_TYPES: readonly ManifestMediaType[] = [
  MediaType.OciIndex,
  MediaType.OciManifest,
  MediaType.DockerManifestList,
  MediaType.DockerManifest,
];

const LAYER_COMPRESSION: Readonly<Record<string, LayerCompression>> = {
  [MediaType.OciLayer]: 'none',
  [MediaType.OciLayerGzip]: 'gzip',
  [MediaType.OciLayerZstd]: 'zstd',
  [MediaType.OciLayerNondistributable]: 'none',
  [MediaType.OciLayerNondistributableGzip]: 'gzip',
  [MediaType.OciLayerNondistributableZstd]: 'zstd',
  [MediaType.DockerLayer]: 'none',
  [MediaType.DockerLayerGzip]: 'gzip',
  [MediaType.DockerForeignLayerGzip]: 'gzip',
};

const NON_DISTRIBUTABLE: ReadonlySet<string> = new Set([
  MediaType.OciLayerNondistributable,
  MediaType.OciLayerNondistributableGzip,
  MediaType.OciLayerNondistributableZstd,
  MediaType.DockerForeignLayerGzip,
]);

/** normalizeMediaType drops parameters after `;`, trims and lower-cases a Content-Type value (clients SHOULD ignore parameters). */
export function normalizeMediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** isIndexMediaType tells whether `mediaType` is an OCI index or a Docker manifest list. */
export function isIndexMediaType(mediaType: string): mediaType is IndexMediaType {
  return mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList;
}

/** isManifestMediaType tells whether `mediaType` is a single-platform image manifest (OCI or Docker schema 2). */
export function isManifestMediaType(mediaType: string): mediaType is ImageManifestMediaType {
  return mediaType === MediaType.OciManifest || mediaType === MediaType.DockerManifest;
}

/** isSchema1MediaType tells whether `mediaType` is one of the two retired Docker schema 1 manifest types. */
export function isSchema1MediaType(mediaType: string): boolean {
  return (
    mediaType === MediaType.DockerSchema1Manifest ||
    mediaType === MediaType.DockerSchema1SignedManifest
  );
}

/** isConfigMediaType tells whether `mediaType` is an image config (OCI or Docker; same JSON shape). */
export function isConfigMediaType(mediaType: string): boolean {
  return mediaType === MediaType.OciConfig || mediaType === MediaType.DockerConfig;
}

/** isLayerMediaType tells whether `mediaType` is one of the known image layer types. */
export function isLayerMediaType(mediaType: string): boolean {
  return Object.prototype.hasOwnProperty.call(LAYER_COMPRESSION, mediaType);
}

/** isNonDistributableMediaType tells whether a layer must never be pushed (OCI non-distributable, Docker foreign). */
export function isNonDistributableMediaType(mediaType: string): boolean {
  return NON_DISTRIBUTABLE.has(mediaType);
}

/**
 * layerCompression returns the compression a layer media type declares; for an unknown type it
 * reads the structured suffix (`+gzip`/`.gzip`, `+zstd`/`.zstd`, `.tar`/`+tar` → none) and throws
 * UNSUPPORTED `unsupported layer media type <type>` when even that says nothing.
 */
export function layerCompression(mediaType: string): LayerCompression {
  const known = LAYER_COMPRESSION[mediaType];
  if (known) return known;
  if (/[+.]gzip$/.test(mediaType)) return 'gzip';
  if (/[+.]zstd$/.test(mediaType)) return 'zstd';
  if (/[+.]tar$/.test(mediaType)) return 'none';
  throw DomainError.unsupported(`unsupported layer media type ${mediaType}`, { mediaType });
}
