import { DomainError } from '../errors/domain-error';
import { Digest } from '../digest/digest';
import { parseImageIdOrReference } from './image-lookup';
import { assertTagTarget, parseReference, parseRepositoryName } from './parse-reference';
import { Reference } from './reference';

const H = 'e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('Reference', () => {
  it('applies ParseDockerRef defaults in normalized(): latest by default, tag dropped beside a digest', () => {
    expect(parseReference('ubuntu').normalized().tag).toBe('latest');
    const pinned = parseReference(`busybox:latest@sha256:${H}`).normalized();
    expect([pinned.tag, pinned.digest?.toString()]).toEqual([undefined, `sha256:${H}`]);
    expect(parseReference('ubuntu:22.04').normalized().tag).toBe('22.04');
  });

  it('names the manifest to request: digest first, then tag, then latest', () => {
    expect(parseReference(`busybox:1.36@sha256:${H}`).manifestReference).toBe(`sha256:${H}`);
    expect(parseReference('busybox:1.36').manifestReference).toBe('1.36');
    expect(parseReference('busybox').manifestReference).toBe('latest');
  });

  it('exposes name and familiarName without tag or digest', () => {
    const ref = parseReference(`library/foo/bar:1@sha256:${H}`);
    expect(ref.name).toBe('docker.io/library/foo/bar');
    expect(ref.familiarName()).toBe('library/foo/bar');
    expect(parseReference('busybox:1').familiarName()).toBe('busybox');
    expect(parseReference('localhost:5000/app:v1').familiarName()).toBe('localhost:5000/app');
  });

  it('withTag replaces the tag, validates it and keeps the digest', () => {
    const retagged = parseReference('busybox:1').withTag('2');
    expect(retagged.familiar()).toBe('busybox:2');
    expect(parseReference(`busybox@sha256:${H}`).withTag('x').digest?.toString()).toBe(
      `sha256:${H}`,
    );
    expect(errorOf(() => retagged.withTag('.bad')).message).toBe('invalid tag format');
    expect(errorOf(() => retagged.withTag('a'.repeat(129))).code).toBe('INVALID_ARGUMENT');
  });

  it('withDigest pins the reference and parses string digests', () => {
    expect(parseReference('busybox').withDigest(`sha256:${H}`).toString()).toBe(
      `docker.io/library/busybox@sha256:${H}`,
    );
    expect(errorOf(() => parseReference('busybox').withDigest('sha256:abc')).message).toBe(
      'invalid checksum digest length',
    );
  });

  it('repository() drops tag and digest', () => {
    const repo = parseReference(`busybox:1@sha256:${H}`).repository();
    expect([repo.tag, repo.digest]).toEqual([undefined, undefined]);
    expect(repo.name).toBe('docker.io/library/busybox');
  });

  it('Reference.of validates stored parts', () => {
    const ref = Reference.of({ domain: 'localhost:5000', path: 'team/app', tag: 'v1' });
    expect(ref.toString()).toBe('localhost:5000/team/app:v1');
    expect(
      errorOf(() => Reference.of({ domain: 'docker.io', path: 'Library/Ubuntu' })).message,
    ).toBe('invalid reference format');
    expect(errorOf(() => Reference.of({ domain: 'a b', path: 'app' })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(() => Reference.of({ domain: 'x.io', path: 'a'.repeat(256) })).message).toBe(
      'repository name must not be more than 255 characters',
    );
  });

  it('compares exactly and serialises as its canonical string', () => {
    expect(parseReference('ubuntu').equals(parseReference('docker.io/library/ubuntu'))).toBe(true);
    expect(parseReference('ubuntu').equals(parseReference('ubuntu:latest'))).toBe(false);
    expect(JSON.stringify({ ref: parseReference('ubuntu') })).toBe(
      '{"ref":"docker.io/library/ubuntu:latest"}',
    );
  });

  it('parses hostile near-miss inputs quickly (no catastrophic backtracking)', () => {
    const hostile = [
      `${'a'.repeat(5000)}!`,
      `${'a-'.repeat(3000)}!`,
      `${'a.'.repeat(3000)}a/!`,
      `example.com/${'a__'.repeat(2000)}_`,
      `app@sha256:${'f'.repeat(5000)}G`,
      `${'a1-'.repeat(2000)}.b/app`,
    ];
    const started = Date.now();
    for (const input of hostile)
      expect(errorOf(() => parseReference(input)).code).toBe('INVALID_ARGUMENT');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('parseRepositoryName', () => {
  it('accepts a bare name and normalises it', () => {
    expect(parseRepositoryName('myapp').name).toBe('docker.io/library/myapp');
    expect(parseRepositoryName('localhost:5000/app').name).toBe('localhost:5000/app');
  });

  it.each(['myapp:1.0', `myapp@sha256:${H}`])(
    'refuses %s, which carries a tag or digest',
    (input) => {
      expect(errorOf(() => parseRepositoryName(input)).message).toBe(
        `invalid repository name (${input}): a tag or digest is not allowed here`,
      );
    },
  );

  it('reports grammar errors with docker wording', () => {
    expect(errorOf(() => parseRepositoryName('MyApp')).message).toBe(
      'invalid reference format: repository name (library/MyApp) must be lowercase',
    );
  });
});

describe('assertTagTarget', () => {
  it('refuses a digest reference and the ambiguous name sha256', () => {
    expect(errorOf(() => assertTagTarget(parseReference(`app@sha256:${H}`))).message).toBe(
      'refusing to create a tag with a digest reference',
    );
    expect(errorOf(() => assertTagTarget(parseReference('sha256:abc'))).message).toBe(
      'refusing to create an ambiguous tag using digest algorithm as name',
    );
    expect(assertTagTarget(parseReference('app:1')).familiar()).toBe('app:1');
  });
});

describe('parseImageIdOrReference', () => {
  it('reads a bare 64-hex string as the ID sha256:<hex> (row 45 as an ID)', () => {
    const lookup = parseImageIdOrReference(H);
    expect(lookup.kind === 'id' && lookup.digest.toString()).toBe(`sha256:${H}`);
  });

  it('reads a valid digest as an ID, not as the name library/sha256 (row 47 via ParseAnyReference)', () => {
    const lookup = parseImageIdOrReference(`sha256:${H}`);
    expect(lookup.kind === 'id' && lookup.digest.toString()).toBe(`sha256:${H}`);
    const sha512 = parseImageIdOrReference(`sha512:${'b'.repeat(128)}`);
    expect(sha512.kind === 'id' && sha512.digest.algorithm).toBe('sha512');
  });

  it.each([
    ['4816fc47f919', '4816fc47f919', 'docker.io/library/4816fc47f919:latest'],
    ['sha256:4816fc47', '4816fc47', 'docker.io/library/sha256:4816fc47'],
    ['a', 'a', 'docker.io/library/a:latest'],
  ])('offers %s both as a name and as the ID prefix %s', (input, prefix, name) => {
    const lookup = parseImageIdOrReference(input);
    expect(lookup.kind).toBe('reference');
    if (lookup.kind !== 'reference') return;
    expect(lookup.idPrefix).toBe(prefix);
    expect(lookup.reference.toString()).toBe(name);
  });

  it.each([
    'busybox',
    'busybox:latest',
    'abcdef:1',
    `busybox@sha256:${H}`,
    'deadbeefz',
    'sha256:xyz',
  ])('reads %s as a name only', (input) => {
    const lookup = parseImageIdOrReference(input);
    expect(lookup.kind === 'reference' && lookup.idPrefix).toBeUndefined();
  });

  it('rejects input that is neither an ID nor a valid name', () => {
    expect(errorOf(() => parseImageIdOrReference('UBUNTU')).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => parseImageIdOrReference('foo..bar')).message).toBe(
      'invalid reference format',
    );
    // Upper-case hex is not an ID; it is the tag of the name library/sha256, as in docker.
    expect(parseImageIdOrReference(`sha256:${H.toUpperCase()}`).kind).toBe('reference');
  });

  it('keeps the digest of a name@digest reference on the reference', () => {
    const lookup = parseImageIdOrReference(`busybox@sha256:${H}`);
    expect(
      lookup.kind === 'reference' && lookup.reference.digest?.equals(Digest.parse(`sha256:${H}`)),
    ).toBe(true);
  });
});
