import { DomainError } from '../errors/domain-error';
import { Digest } from '../digest/digest';
import { verifyBytes } from '../digest/digester';
import {
  MediaType,
  ManifestMediaType,
  isIndexMediaType,
  isManifestMediaType,
  isSchema1MediaType,
  normalizeMediaType,
} from '../media-types/media-types';
import { ParsedManifest, StoredDocument, readImageIndex, readImageManifest } from './documents';
import { JsonReader, decodeJson } from './json-reader';

/** ParseDocumentOptions verify a fetched document against the descriptor or digest it was requested by. */
export interface ParseDocumentOptions {
  /** The digest the document was requested by; its algorithm is used to hash the bytes. */
  readonly expectedDigest?: Digest | string;
  /** The size the referring descriptor declared. */
  readonly expectedSize?: number;
  /** The reference the user asked for, used to word the schema 1 error (e.g. `busybox:1.0`). */
  readonly reference?: string;
}

const GENERIC_CONTENT_TYPES: ReadonlySet<string> = new Set([
  '',
  'application/json',
  'text/plain',
  'application/octet-stream',
]);

/** schema1Error is the refusal for Docker Image Manifest v2 Schema 1 (§2.2 step 4). */
function schema1Error(reference: string | undefined): DomainError {
  const subject = reference ? `${reference}: this image` : 'this image';
  return DomainError.unsupported(
    `${subject} uses Docker Image Manifest v2 Schema 1, which is no longer supported; ask the publisher to push ` +
      'it again as OCI or Docker schema 2 (see https://docs.docker.com/go/deprecated-image-specs/)',
  );
}

/** inferMediaType is §2.2 step 2 for a body without `mediaType`; undefined means schema 1. */
function inferMediaType(r: JsonReader): ManifestMediaType | undefined {
  if (r.has('fsLayers') || r.raw['schemaVersion'] === 1) return undefined;
  const hasImageFields = r.has('config') || r.has('layers');
  if (r.has('manifests') && !hasImageFields) return MediaType.OciIndex;
  if (hasImageFields && !r.has('manifests')) return MediaType.OciManifest;
  throw DomainError.invalidArgument('cannot determine manifest media type');
}

/** resolveMediaType is §2.2 steps 1, 2 and 4: which document type these bytes are. */
function resolveMediaType(
  r: JsonReader,
  contentType: string,
  reference?: string,
): ManifestMediaType {
  const declared = r.raw['mediaType'];
  if (declared !== undefined && declared !== null && typeof declared !== 'string')
    throw r.fail('mediaType', 'a string');
  if (isIndexMediaType(contentType) || isManifestMediaType(contentType)) {
    if (typeof declared === 'string' && declared !== contentType) {
      throw DomainError.invalidArgument(
        `manifest media type mismatch: Content-Type is ${contentType} but the document says ${declared}`,
      );
    }
    return contentType;
  }
  if (!GENERIC_CONTENT_TYPES.has(contentType)) {
    throw DomainError.unsupported(`unsupported manifest media type ${contentType}`, {
      mediaType: contentType,
    });
  }
  if (typeof declared !== 'string') {
    const inferred = inferMediaType(r);
    if (inferred === undefined) throw schema1Error(reference);
    return inferred;
  }
  if (isIndexMediaType(declared) || isManifestMediaType(declared)) return declared;
  if (isSchema1MediaType(declared)) throw schema1Error(reference);
  throw DomainError.unsupported(`unsupported manifest media type ${declared}`, {
    mediaType: declared,
  });
}

/** checkShape is §2.2 step 3: a document must not carry the other kind's fields. */
function checkShape(r: JsonReader, mediaType: ManifestMediaType): void {
  const forbidden = isIndexMediaType(mediaType)
    ? ['config', 'layers', 'fsLayers']
    : ['manifests', 'fsLayers'];
  const present = forbidden.filter((key) => r.has(key));
  if (present.length > 0) {
    throw DomainError.invalidArgument(
      `invalid manifest: media type ${mediaType} must not have ${present.map((k) => `"${k}"`).join(', ')}`,
    );
  }
}

/** verifyDocument hashes the exact bytes and checks them against the expected digest and size. */
export function verifyDocument(bytes: Uint8Array, options: ParseDocumentOptions): StoredDocument {
  const { expectedDigest, expectedSize } = options;
  const expected =
    typeof expectedDigest === 'string' ? Digest.parse(expectedDigest) : expectedDigest;
  if (expected)
    return { digest: verifyBytes(bytes, expected, expectedSize), size: bytes.byteLength, bytes };
  if (expectedSize !== undefined && bytes.byteLength !== expectedSize) {
    throw DomainError.digestMismatch(
      `size mismatch: expected ${expectedSize} bytes, received ${bytes.byteLength}`,
    );
  }
  return { digest: Digest.fromBytes(bytes), size: bytes.byteLength, bytes };
}

/**
 * parseManifest validates the exact bytes of a manifest or index and tells which one it is,
 * resolving the media type per §2.2: a supported Content-Type wins (a differing body `mediaType` is
 * INVALID_ARGUMENT `manifest media type mismatch…`); a missing or generic one defers to the body's
 * `mediaType`, else to inference (INVALID_ARGUMENT `cannot determine manifest media type`); schema 1
 * is UNSUPPORTED; any other type is UNSUPPORTED `unsupported manifest media type <t>`. The bytes are
 * verified first when `options` carry an expected digest/size (DIGEST_MISMATCH), and the result keeps
 * the original bytes and their digest — documents are never re-serialised.
 */
export function parseManifest(
  bytes: Uint8Array,
  contentType?: string,
  options: ParseDocumentOptions = {},
): ParsedManifest {
  const type = normalizeMediaType(contentType ?? '');
  if (isSchema1MediaType(type)) throw schema1Error(options.reference);
  const stored = verifyDocument(bytes, options);
  const r = JsonReader.root(decodeJson(bytes, 'manifest'), 'manifest');
  const mediaType = resolveMediaType(r, type, options.reference);
  checkShape(r, mediaType);
  if (isIndexMediaType(mediaType))
    return { ...stored, kind: 'index', mediaType, index: readImageIndex(r, mediaType) };
  return { ...stored, kind: 'manifest', mediaType, manifest: readImageManifest(r, mediaType) };
}
