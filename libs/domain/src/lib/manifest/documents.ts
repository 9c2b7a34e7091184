import { Digest } from '../digest/digest';
import { ImageManifestMediaType, IndexMediaType } from '../media-types/media-types';
import { Descriptor, readDescriptor } from './descriptor';
import { JsonReader } from './json-reader';

/** ImageManifest is a validated single-platform image manifest (OCI image manifest or Docker schema 2). */
export interface ImageManifest {
  readonly schemaVersion: 2;
  /** The resolved media type (from Content-Type, the body, or inference), never absent. */
  readonly mediaType: ImageManifestMediaType;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** ImageIndex is a validated multi-platform index (OCI image index or Docker manifest list). */
export interface ImageIndex {
  readonly schemaVersion: 2;
  /** The resolved media type (from Content-Type, the body, or inference), never absent. */
  readonly mediaType: IndexMediaType;
  readonly artifactType?: string;
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** StoredDocument is a parsed document together with the exact bytes it came from and their digest. */
export interface StoredDocument {
  /** Digest of the original bytes (never of a re-serialisation). */
  readonly digest: Digest;
  readonly size: number;
  readonly bytes: Uint8Array;
}

/** ParsedManifest is the result of parseManifest: an image manifest or an index, with its original bytes. */
export type ParsedManifest =
  | (StoredDocument & {
      readonly kind: 'manifest';
      readonly mediaType: ImageManifestMediaType;
      readonly manifest: ImageManifest;
    })
  | (StoredDocument & {
      readonly kind: 'index';
      readonly mediaType: IndexMediaType;
      readonly index: ImageIndex;
    });

function readCommon(r: JsonReader): {
  artifactType?: string;
  subject?: Descriptor;
  annotations?: Record<string, string>;
} {
  if (r.raw['schemaVersion'] !== 2) throw r.fail('schemaVersion', '2');
  const artifactType = r.optString('artifactType');
  const subject = r.optChild('subject');
  const annotations = r.optStringMap('annotations');
  return {
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(subject === undefined ? {} : { subject: readDescriptor(subject) }),
    ...(annotations === undefined ? {} : { annotations }),
  };
}

/** readImageManifest validates the body of an image manifest whose media type is already resolved. */
export function readImageManifest(r: JsonReader, mediaType: ImageManifestMediaType): ImageManifest {
  return {
    schemaVersion: 2,
    mediaType,
    ...readCommon(r),
    config: readDescriptor(r.child('config')),
    layers: r.items('layers').map(readDescriptor),
  };
}

/** readImageIndex validates the body of an index whose media type is already resolved. */
export function readImageIndex(r: JsonReader, mediaType: IndexMediaType): ImageIndex {
  return {
    schemaVersion: 2,
    mediaType,
    ...readCommon(r),
    manifests: r.items('manifests').map(readDescriptor),
  };
}
