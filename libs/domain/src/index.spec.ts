import { T4_INDEX, T4_MANIFEST_DIGEST, utf8 } from '../test/t4-vectors';
import * as domain from './index';

// The public surface is what other libraries import; this checks it is wired at run time, not just in types.
describe('@stevedore/domain public API', () => {
  it('resolves a pull end to end: reference → index → platform manifest', () => {
    const reference = domain.parseReference('localhost:5000/app:1.0');
    const parsed = domain.parseManifest(utf8(T4_INDEX), 'application/vnd.oci.image.index.v1+json');
    if (parsed.kind !== 'index') throw new Error('expected an index');
    const target = domain.defaultTargetPlatform(domain.hostPlatform('x64', 'darwin'));
    const chosen = domain.selectManifest(parsed.index, target);
    expect(chosen.digest.toString()).toBe(T4_MANIFEST_DIGEST);
    expect(reference.withDigest(parsed.digest).repository().familiarName()).toBe(
      'localhost:5000/app',
    );
    expect(`${reference.familiarName()}@${parsed.digest}`).toBe(
      'localhost:5000/app@sha256:646b9a080d57d5a1d2d21c2ef79fdecf3749d1c3406452da4bfd118c76a6a703',
    );
  });

  it('exports the error machinery that crosses the bus', () => {
    const error = domain.DomainError.fromPayload(
      domain.DomainError.notFound('no such image').toErrorPayload(),
    );
    expect(domain.isDomainError(error) && error.code).toBe('NOT_FOUND');
    expect(domain.ERROR_CODES).toContain('TOO_MANY_REQUESTS');
  });
});
