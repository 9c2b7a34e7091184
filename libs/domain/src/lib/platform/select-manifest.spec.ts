import { T4_INDEX, T4_MANIFEST_DIGEST, utf8 } from '../../../test/t4-vectors';
import { DomainError } from '../errors/domain-error';
import { Digest } from '../digest/digest';
import { MediaType } from '../media-types/media-types';
import { Descriptor } from '../manifest/descriptor';
import { ImageIndex } from '../manifest/documents';
import { parseManifest } from '../manifest/parse-manifest';
import { parsePlatform } from './platform';
import {
  assertPlatformMatches,
  isAttestationDescriptor,
  isPlatformMismatch,
  selectManifest,
} from './select-manifest';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

let counter = 0;
/** entry builds a manifest descriptor for `spec` (`os/arch[/variant]`, or undefined for no platform). */
function entry(spec: string | undefined, extra: Partial<Descriptor> = {}): Descriptor {
  counter += 1;
  const digest = Digest.fromBytes(utf8(`manifest ${counter}`));
  const [os = '', architecture = '', variant] = spec?.split('/') ?? [];
  const platform =
    spec === undefined ? {} : { platform: { os, architecture, ...(variant ? { variant } : {}) } };
  return { mediaType: MediaType.OciManifest, digest, size: 100 + counter, ...platform, ...extra };
}

function index(...manifests: Descriptor[]): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests };
}

const pick = (idx: ImageIndex, target: string): Descriptor =>
  selectManifest(idx, parsePlatform(target));

describe('T8 selection', () => {
  const amd64 = entry('linux/amd64');
  const armV6 = entry('linux/arm/v6');
  const armV7 = entry('linux/arm/v7');
  const arm64 = entry('linux/arm64/v8');
  const attestation = entry('unknown/unknown', {
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': amd64.digest.toString(),
    },
  });
  const multi = index(amd64, armV6, armV7, arm64, attestation);

  it.each([
    ['linux/arm64', arm64],
    ['linux/arm/v7', armV7],
    ['linux/arm/v6', armV6],
    ['linux/amd64', amd64],
  ])('picks the right entry for %s', (target, expected) => {
    expect(pick(multi, target)).toBe(expected);
  });

  it('falls back from arm64 to arm/v7 when the index has no arm64', () => {
    expect(pick(index(amd64, armV6, armV7), 'linux/arm64')).toBe(armV7);
  });

  it('does not run amd64 images on a 386 target', () => {
    expect(errorOf(() => pick(index(amd64), 'linux/386')).message).toBe(
      'no matching manifest for linux/386 in the manifest list entries',
    );
  });

  it('prefers plain amd64 for an amd64/v2 target when the alternative is v3', () => {
    const v3 = entry('linux/amd64/v3');
    expect(pick(index(v3, amd64), 'linux/amd64/v2')).toBe(amd64);
  });

  it('never selects the attestation entry', () => {
    expect(isAttestationDescriptor(attestation)).toBe(true);
    expect(errorOf(() => pick(index(attestation), 'unknown/unknown')).code).toBe('NOT_FOUND');
    const annotatedOnly = entry('linux/amd64', {
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
    });
    expect(pick(index(annotatedOnly, amd64), 'linux/amd64')).toBe(amd64);
  });
});

describe('T4 platform facts', () => {
  const parsed = parseManifest(utf8(T4_INDEX), MediaType.OciIndex);
  const t4 = parsed.kind === 'index' ? parsed.index : index();

  it('fails linux/arm64 with docker wording and NOT_FOUND', () => {
    const error = errorOf(() => pick(t4, 'linux/arm64'));
    expect([error.code, error.message]).toEqual([
      'NOT_FOUND',
      'no matching manifest for linux/arm64 in the manifest list entries',
    ]);
  });

  it('selects the amd64 manifest for linux/amd64/v3 (v3 falls back to v1)', () => {
    expect(pick(t4, 'linux/amd64/v3').digest.toString()).toBe(T4_MANIFEST_DIGEST);
  });
});

describe('selection rules', () => {
  it('keeps index order among equally good entries', () => {
    const first = entry('linux/amd64');
    const second = entry('linux/amd64');
    expect(pick(index(first, second), 'linux/amd64')).toBe(first);
  });

  it('prefers an exact variant over an earlier compatible one', () => {
    const v6 = entry('linux/arm/v6');
    const v7 = entry('linux/arm/v7');
    expect(pick(index(v6, v7), 'linux/arm/v7')).toBe(v7);
  });

  it('uses an entry without platform only when nothing matches by platform', () => {
    const bare = entry(undefined);
    const amd64 = entry('linux/amd64');
    expect(pick(index(bare, amd64), 'linux/amd64')).toBe(amd64);
    expect(pick(index(bare, amd64), 'linux/arm64')).toBe(bare);
  });

  it('skips entries with unknown media types and returns nested indexes for another round', () => {
    const artifact = entry('linux/amd64', { mediaType: 'application/vnd.example.sbom+json' });
    const nested = entry('linux/amd64', { mediaType: MediaType.DockerManifestList });
    expect(pick(index(artifact, nested), 'linux/amd64')).toBe(nested);
  });

  it('matches entries written with aliases (aarch64, x86_64)', () => {
    const aarch64 = entry('linux/aarch64');
    expect(pick(index(entry('linux/x86_64'), aarch64), 'linux/arm64/v8')).toBe(aarch64);
  });
});

describe('assertPlatformMatches', () => {
  const amd64 = { os: 'linux', architecture: 'amd64' };

  it('lets through an image the wanted platform runs', () => {
    expect(() => assertPlatformMatches('r:1', { ...amd64, variant: 'v2' }, amd64)).not.toThrow();
  });

  it('refuses another platform in moby’s words, marked as a platform mismatch', () => {
    let caught: unknown;
    try {
      assertPlatformMatches('reg:5000/x:1', { os: 'linux', architecture: 's390x' }, amd64);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({
      code: 'NOT_FOUND',
      message:
        'image with reference reg:5000/x:1 was found but does not match the specified platform: wanted linux/s390x, actual: linux/amd64',
    });
    expect(isPlatformMismatch(caught)).toBe(true);
    expect(isPlatformMismatch(new Error('x'))).toBe(false);
  });
});
