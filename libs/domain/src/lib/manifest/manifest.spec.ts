import {
  T4_CONFIG_DIGEST,
  T4_INDEX,
  T4_INDEX_DIGEST,
  T4_MANIFEST,
  T4_MANIFEST_DIGEST,
  utf8,
} from '../../../test/t4-vectors';
import { DomainError } from '../errors/domain-error';
import { Digest } from '../digest/digest';
import { MediaType } from '../media-types/media-types';
import { parseDescriptor } from './descriptor';
import { parseManifest } from './parse-manifest';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const manifestBytes = utf8(T4_MANIFEST);
const indexBytes = utf8(T4_INDEX);

describe('T4 manifest and index', () => {
  it('hashes the exact manifest bytes to the published digest and size', () => {
    const parsed = parseManifest(manifestBytes, MediaType.OciManifest);
    expect([parsed.digest.toString(), parsed.size]).toEqual([T4_MANIFEST_DIGEST, 397]);
    expect(parsed.bytes).toBe(manifestBytes);
  });

  it('parses the manifest: config and the single empty layer', () => {
    const parsed = parseManifest(manifestBytes, MediaType.OciManifest);
    if (parsed.kind !== 'manifest') throw new Error('expected a manifest');
    const { config, layers } = parsed.manifest;
    expect([config.mediaType, config.digest.toString(), config.size]).toEqual([
      MediaType.OciConfig,
      T4_CONFIG_DIGEST,
      329,
    ]);
    expect(layers.map((l) => [l.mediaType, l.digest.toString(), l.size])).toEqual([
      [
        MediaType.OciLayer,
        'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
        1024,
      ],
    ]);
  });

  it('hashes and parses the index, keeping the entry platform', () => {
    const parsed = parseManifest(indexBytes, `${MediaType.OciIndex}; charset=utf-8`);
    expect([parsed.kind, parsed.digest.toString(), parsed.size]).toEqual([
      'index',
      T4_INDEX_DIGEST,
      289,
    ]);
    if (parsed.kind !== 'index') return;
    const [entry] = parsed.index.manifests;
    expect(entry?.digest.toString()).toBe(T4_MANIFEST_DIGEST);
    expect(entry?.platform).toEqual({ architecture: 'amd64', os: 'linux' });
  });

  it('gives a pretty-printed copy a different digest: the original bytes are what counts', () => {
    const pretty = utf8(JSON.stringify(JSON.parse(T4_MANIFEST), null, 2));
    const reparsed = parseManifest(pretty, MediaType.OciManifest);
    expect(reparsed.digest.toString()).not.toBe(T4_MANIFEST_DIGEST);
    expect(
      errorOf(() =>
        parseManifest(pretty, MediaType.OciManifest, { expectedDigest: T4_MANIFEST_DIGEST }),
      ).code,
    ).toBe('DIGEST_MISMATCH');
  });

  it('accepts the bytes when they match the requesting descriptor', () => {
    const parsed = parseManifest(manifestBytes, MediaType.OciManifest, {
      expectedDigest: Digest.parse(T4_MANIFEST_DIGEST),
      expectedSize: 397,
    });
    expect(parsed.digest.toString()).toBe(T4_MANIFEST_DIGEST);
  });
});

describe('T17 manifests to reject or detect', () => {
  it('rejects the schema 1 signed Content-Type before reading the body', () => {
    const error = errorOf(() =>
      parseManifest(utf8('not even json'), MediaType.DockerSchema1SignedManifest, {
        reference: 'busybox:1.0',
      }),
    );
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(
      /^busybox:1\.0: this image uses Docker Image Manifest v2 Schema 1, which is no longer supported; ask the publisher to push it again as OCI or Docker schema 2/,
    );
  });

  it('detects a schema 1 body served as application/json', () => {
    const error = errorOf(() =>
      parseManifest(
        utf8('{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}'),
        'application/json',
      ),
    );
    expect([
      error.code,
      error.message.startsWith('this image uses Docker Image Manifest v2 Schema 1'),
    ]).toEqual(['UNSUPPORTED', true]);
  });

  it('detects the T4 manifest without its mediaType as an OCI image manifest', () => {
    const body = JSON.parse(T4_MANIFEST);
    delete body.mediaType;
    const parsed = parseManifest(utf8(JSON.stringify(body)), 'application/json');
    expect([parsed.kind, parsed.mediaType]).toEqual(['manifest', MediaType.OciManifest]);
  });

  it('rejects an index Content-Type whose body says image manifest', () => {
    const error = errorOf(() => parseManifest(manifestBytes, MediaType.OciIndex));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      `manifest media type mismatch: Content-Type is ${MediaType.OciIndex} but the document says ${MediaType.OciManifest}`,
    );
  });

  it('rejects a body whose sha256 differs from the requested digest, naming both', () => {
    const wrong = 'sha256:' + 'a'.repeat(64);
    const error = errorOf(() =>
      parseManifest(manifestBytes, MediaType.OciManifest, { expectedDigest: wrong }),
    );
    expect([error.code, error.message]).toEqual([
      'DIGEST_MISMATCH',
      `digest mismatch: expected ${wrong}, got ${T4_MANIFEST_DIGEST}`,
    ]);
  });

  it('rejects a body whose size differs from the descriptor', () => {
    const error = errorOf(() =>
      parseManifest(manifestBytes, MediaType.OciManifest, {
        expectedDigest: T4_MANIFEST_DIGEST,
        expectedSize: 396,
      }),
    );
    expect(error.code).toBe('DIGEST_MISMATCH');
    expect(error.message).toMatch(
      /^size mismatch for sha256:6efd1484.*: expected 396 bytes, received at least 397$/,
    );
  });
});

describe('§2.2 media-type resolution', () => {
  it.each([undefined, '', 'text/plain', 'application/octet-stream'])(
    'uses the body mediaType when Content-Type is %p',
    (contentType) => {
      expect(parseManifest(indexBytes, contentType).mediaType).toBe(MediaType.OciIndex);
    },
  );

  it('keeps a Docker media type from the Content-Type when the body has none', () => {
    const body = JSON.parse(T4_INDEX);
    delete body.mediaType;
    const parsed = parseManifest(utf8(JSON.stringify(body)), MediaType.DockerManifestList);
    expect([parsed.kind, parsed.mediaType]).toEqual(['index', MediaType.DockerManifestList]);
  });

  it('infers an index from a body with manifests and no mediaType', () => {
    const body = JSON.parse(T4_INDEX);
    delete body.mediaType;
    expect(parseManifest(utf8(JSON.stringify(body))).mediaType).toBe(MediaType.OciIndex);
  });

  it.each([
    ['{"schemaVersion":2}', 'cannot determine manifest media type'],
    ['{"schemaVersion":2,"manifests":[],"layers":[]}', 'cannot determine manifest media type'],
  ])('cannot determine the type of %s', (body, message) => {
    expect(errorOf(() => parseManifest(utf8(body), 'application/json')).message).toBe(message);
  });

  it('refuses an index that carries image-manifest fields', () => {
    const body = { ...JSON.parse(T4_INDEX), layers: [] };
    expect(errorOf(() => parseManifest(utf8(JSON.stringify(body)))).message).toBe(
      `invalid manifest: media type ${MediaType.OciIndex} must not have "layers"`,
    );
  });

  it('refuses an image manifest that carries manifests', () => {
    const body = { ...JSON.parse(T4_MANIFEST), manifests: [] };
    expect(
      errorOf(() => parseManifest(utf8(JSON.stringify(body)), MediaType.OciManifest)).message,
    ).toBe(`invalid manifest: media type ${MediaType.OciManifest} must not have "manifests"`);
  });

  it('reports unknown document types as UNSUPPORTED', () => {
    expect(errorOf(() => parseManifest(manifestBytes, 'text/html')).code).toBe('UNSUPPORTED');
    const artifact = utf8(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.artifact.manifest.v1+json"}',
    );
    expect(errorOf(() => parseManifest(artifact)).message).toBe(
      'unsupported manifest media type application/vnd.oci.artifact.manifest.v1+json',
    );
  });

  it.each([
    ['not JSON', utf8('{"schemaVersion":'), /^invalid manifest: /],
    ['not an object', utf8('[1,2]'), /^invalid manifest: not a JSON object$/],
    ['invalid UTF-8', Uint8Array.from([0x7b, 0xff, 0x7d]), /^invalid manifest: not valid UTF-8$/],
  ])('rejects a body that is %s', (_label, bytes, message) => {
    expect(errorOf(() => parseManifest(bytes, MediaType.OciManifest)).message).toMatch(message);
  });
});

describe('descriptor validation', () => {
  const good = { mediaType: MediaType.OciLayer, digest: T4_MANIFEST_DIGEST, size: 1 };

  it.each([
    [{ ...good, size: -1 }, 'invalid descriptor: size must be a non-negative integer'],
    [{ ...good, size: 1.5 }, 'invalid descriptor: size must be a non-negative integer'],
    [{ ...good, size: 2 ** 53 }, 'invalid descriptor: size must be a non-negative integer'],
    [{ ...good, size: '1' }, 'invalid descriptor: size must be a non-negative integer'],
    [{ ...good, mediaType: 7 }, 'invalid descriptor: mediaType must be a string'],
    [
      { ...good, digest: 'sha256:abc' },
      'invalid descriptor: digest: invalid checksum digest length',
    ],
    [
      { ...good, annotations: { a: 1 } },
      'invalid descriptor: annotations must be an object of strings',
    ],
    [{ ...good, urls: 'http://x' }, 'invalid descriptor: urls must be an array of strings'],
    [
      { ...good, platform: { os: 'linux' } },
      'invalid descriptor: platform.architecture must be a string',
    ],
  ])('rejects %j', (value, message) => {
    const error = errorOf(() => parseDescriptor(value));
    expect([error.code, error.message]).toEqual(['INVALID_ARGUMENT', message]);
  });

  it('keeps an unsupported digest algorithm UNSUPPORTED and names the field path', () => {
    const body = JSON.parse(T4_MANIFEST);
    body.layers[0].digest = `md5:${'a'.repeat(32)}`;
    const error = errorOf(() => parseManifest(utf8(JSON.stringify(body)), MediaType.OciManifest));
    expect([error.code, error.message]).toEqual([
      'UNSUPPORTED',
      'invalid manifest: layers[0].digest: unsupported digest algorithm',
    ]);
  });

  it('reads optional fields and treats null as absent', () => {
    const parsed = parseDescriptor({
      ...good,
      urls: ['https://cdn.example/l'],
      annotations: { k: 'v' },
      artifactType: null,
      data: 'e30=',
    });
    expect(parsed).toEqual({
      ...good,
      digest: Digest.parse(T4_MANIFEST_DIGEST),
      urls: ['https://cdn.example/l'],
      annotations: { k: 'v' },
      data: 'e30=',
    });
  });

  it('requires schemaVersion 2', () => {
    const body = { ...JSON.parse(T4_MANIFEST), schemaVersion: 3 };
    expect(
      errorOf(() => parseManifest(utf8(JSON.stringify(body)), MediaType.OciManifest)).message,
    ).toBe('invalid manifest: schemaVersion must be 2');
  });
});
