import { DomainError } from '../errors/domain-error';
import { parseReference } from './parse-reference';

// Every row of the normalisation table, registry-and-formats.md §1.3 (also test vector T7).
const H = 'e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';
const A128 = 'a'.repeat(128);

interface Valid {
  row: string;
  input: string;
  domain: string;
  path: string;
  /** The tag as typed (undefined when the default applies). */
  tag?: string;
  digest?: string;
  canonical: string;
  familiar: string;
}

interface Invalid {
  row: string;
  input: string;
  message: string;
}

const valid: Valid[] = [
  {
    row: '1',
    input: 'ubuntu',
    domain: 'docker.io',
    path: 'library/ubuntu',
    canonical: 'docker.io/library/ubuntu:latest',
    familiar: 'ubuntu:latest',
  },
  {
    row: '2',
    input: 'ubuntu:22.04',
    domain: 'docker.io',
    path: 'library/ubuntu',
    tag: '22.04',
    canonical: 'docker.io/library/ubuntu:22.04',
    familiar: 'ubuntu:22.04',
  },
  {
    row: '3',
    input: 'library/ubuntu',
    domain: 'docker.io',
    path: 'library/ubuntu',
    canonical: 'docker.io/library/ubuntu:latest',
    familiar: 'ubuntu:latest',
  },
  {
    row: '4',
    input: 'docker.io/ubuntu',
    domain: 'docker.io',
    path: 'library/ubuntu',
    canonical: 'docker.io/library/ubuntu:latest',
    familiar: 'ubuntu:latest',
  },
  {
    row: '5',
    input: 'docker.io/library/ubuntu:latest',
    domain: 'docker.io',
    path: 'library/ubuntu',
    tag: 'latest',
    canonical: 'docker.io/library/ubuntu:latest',
    familiar: 'ubuntu:latest',
  },
  {
    row: '6',
    input: 'index.docker.io/ubuntu',
    domain: 'docker.io',
    path: 'library/ubuntu',
    canonical: 'docker.io/library/ubuntu:latest',
    familiar: 'ubuntu:latest',
  },
  {
    row: '7',
    input: 'index.docker.io/library/ubuntu:20.04',
    domain: 'docker.io',
    path: 'library/ubuntu',
    tag: '20.04',
    canonical: 'docker.io/library/ubuntu:20.04',
    familiar: 'ubuntu:20.04',
  },
  {
    row: '8',
    input: 'registry-1.docker.io/library/ubuntu',
    domain: 'registry-1.docker.io',
    path: 'library/ubuntu',
    canonical: 'registry-1.docker.io/library/ubuntu:latest',
    familiar: 'registry-1.docker.io/library/ubuntu:latest',
  },
  {
    row: '9',
    input: 'bitnami/redis:7.2',
    domain: 'docker.io',
    path: 'bitnami/redis',
    tag: '7.2',
    canonical: 'docker.io/bitnami/redis:7.2',
    familiar: 'bitnami/redis:7.2',
  },
  {
    row: '10',
    input: 'library/foo/bar',
    domain: 'docker.io',
    path: 'library/foo/bar',
    canonical: 'docker.io/library/foo/bar:latest',
    familiar: 'library/foo/bar:latest',
  },
  {
    row: '11',
    input: 'myhost/app',
    domain: 'docker.io',
    path: 'myhost/app',
    canonical: 'docker.io/myhost/app:latest',
    familiar: 'myhost/app:latest',
  },
  {
    row: '12',
    input: 'test_com/foo',
    domain: 'docker.io',
    path: 'test_com/foo',
    canonical: 'docker.io/test_com/foo:latest',
    familiar: 'test_com/foo:latest',
  },
  {
    row: '13',
    input: 'localhost/app',
    domain: 'localhost',
    path: 'app',
    canonical: 'localhost/app:latest',
    familiar: 'localhost/app:latest',
  },
  {
    row: '14',
    input: 'localhost:5000/app:v1',
    domain: 'localhost:5000',
    path: 'app',
    tag: 'v1',
    canonical: 'localhost:5000/app:v1',
    familiar: 'localhost:5000/app:v1',
  },
  {
    row: '15',
    input: 'localhost',
    domain: 'docker.io',
    path: 'library/localhost',
    canonical: 'docker.io/library/localhost:latest',
    familiar: 'localhost:latest',
  },
  {
    row: '16',
    input: 'localhost:5000',
    domain: 'docker.io',
    path: 'library/localhost',
    tag: '5000',
    canonical: 'docker.io/library/localhost:5000',
    familiar: 'localhost:5000',
  },
  {
    row: '17',
    input: 'example.com',
    domain: 'docker.io',
    path: 'library/example.com',
    canonical: 'docker.io/library/example.com:latest',
    familiar: 'example.com:latest',
  },
  {
    row: '18',
    input: 'example.com:5000',
    domain: 'docker.io',
    path: 'library/example.com',
    tag: '5000',
    canonical: 'docker.io/library/example.com:5000',
    familiar: 'example.com:5000',
  },
  {
    row: '19',
    input: 'example.com/app',
    domain: 'example.com',
    path: 'app',
    canonical: 'example.com/app:latest',
    familiar: 'example.com/app:latest',
  },
  {
    row: '20',
    input: 'example.com:5000/team/app:1.0',
    domain: 'example.com:5000',
    path: 'team/app',
    tag: '1.0',
    canonical: 'example.com:5000/team/app:1.0',
    familiar: 'example.com:5000/team/app:1.0',
  },
  {
    row: '21',
    input: 'registry.example.com:443/org/app',
    domain: 'registry.example.com:443',
    path: 'org/app',
    canonical: 'registry.example.com:443/org/app:latest',
    familiar: 'registry.example.com:443/org/app:latest',
  },
  {
    row: '22',
    input: 'myregistry:5000/app',
    domain: 'myregistry:5000',
    path: 'app',
    canonical: 'myregistry:5000/app:latest',
    familiar: 'myregistry:5000/app:latest',
  },
  {
    row: '23',
    input: 'Foo/bar',
    domain: 'Foo',
    path: 'bar',
    canonical: 'Foo/bar:latest',
    familiar: 'Foo/bar:latest',
  },
  {
    row: '24',
    input: 'LOCALHOST/app',
    domain: 'LOCALHOST',
    path: 'app',
    canonical: 'LOCALHOST/app:latest',
    familiar: 'LOCALHOST/app:latest',
  },
  {
    row: '25',
    input: '192.168.1.1:5000/app',
    domain: '192.168.1.1:5000',
    path: 'app',
    canonical: '192.168.1.1:5000/app:latest',
    familiar: '192.168.1.1:5000/app:latest',
  },
  {
    row: '26',
    input: '[::1]:5000/app',
    domain: '[::1]:5000',
    path: 'app',
    canonical: '[::1]:5000/app:latest',
    familiar: '[::1]:5000/app:latest',
  },
  {
    row: '27',
    input: '[2001:db8::1]/app:tag',
    domain: '[2001:db8::1]',
    path: 'app',
    tag: 'tag',
    canonical: '[2001:db8::1]/app:tag',
    familiar: '[2001:db8::1]/app:tag',
  },
  {
    row: '29',
    input: 'xn--n3h.com/app',
    domain: 'xn--n3h.com',
    path: 'app',
    canonical: 'xn--n3h.com/app:latest',
    familiar: 'xn--n3h.com/app:latest',
  },
  {
    row: '30',
    input: `gcr.io/project/app@sha256:${H}`,
    domain: 'gcr.io',
    path: 'project/app',
    digest: `sha256:${H}`,
    canonical: `gcr.io/project/app@sha256:${H}`,
    familiar: `gcr.io/project/app@sha256:${H}`,
  },
  {
    row: '31',
    input: `busybox@sha256:${H}`,
    domain: 'docker.io',
    path: 'library/busybox',
    digest: `sha256:${H}`,
    canonical: `docker.io/library/busybox@sha256:${H}`,
    familiar: `busybox@sha256:${H}`,
  },
  {
    row: '32',
    input: `busybox:latest@sha256:${H}`,
    domain: 'docker.io',
    path: 'library/busybox',
    tag: 'latest',
    digest: `sha256:${H}`,
    canonical: `docker.io/library/busybox@sha256:${H}`,
    familiar: `busybox@sha256:${H}`,
  },
  {
    row: '33',
    input: 'ubuntu:Latest',
    domain: 'docker.io',
    path: 'library/ubuntu',
    tag: 'Latest',
    canonical: 'docker.io/library/ubuntu:Latest',
    familiar: 'ubuntu:Latest',
  },
  {
    row: '34',
    input: `app:${A128}`,
    domain: 'docker.io',
    path: 'library/app',
    tag: A128,
    canonical: `docker.io/library/app:${A128}`,
    familiar: `app:${A128}`,
  },
  {
    row: '36a',
    input: 'app:_x',
    domain: 'docker.io',
    path: 'library/app',
    tag: '_x',
    canonical: 'docker.io/library/app:_x',
    familiar: 'app:_x',
  },
  {
    row: '39',
    input: 'Ubuntu/app',
    domain: 'Ubuntu',
    path: 'app',
    canonical: 'Ubuntu/app:latest',
    familiar: 'Ubuntu/app:latest',
  },
  {
    row: '40a',
    input: 'foo__bar',
    domain: 'docker.io',
    path: 'library/foo__bar',
    canonical: 'docker.io/library/foo__bar:latest',
    familiar: 'foo__bar:latest',
  },
  {
    row: '40b',
    input: 'foo--bar',
    domain: 'docker.io',
    path: 'library/foo--bar',
    canonical: 'docker.io/library/foo--bar:latest',
    familiar: 'foo--bar:latest',
  },
  {
    row: '46',
    input: `docker.io/${H}`,
    domain: 'docker.io',
    path: `library/${H}`,
    canonical: `docker.io/library/${H}:latest`,
    familiar: `${H}:latest`,
  },
  {
    row: '47',
    input: `sha256:${H}`,
    domain: 'docker.io',
    path: 'library/sha256',
    tag: H,
    canonical: `docker.io/library/sha256:${H}`,
    familiar: `sha256:${H}`,
  },
  {
    row: '51',
    input: `app@sha512:${'a'.repeat(128)}`,
    domain: 'docker.io',
    path: 'library/app',
    digest: `sha512:${'a'.repeat(128)}`,
    canonical: `docker.io/library/app@sha512:${'a'.repeat(128)}`,
    familiar: `app@sha512:${'a'.repeat(128)}`,
  },
  {
    row: '53',
    input: `example.com/${'a'.repeat(255)}`,
    domain: 'example.com',
    path: 'a'.repeat(255),
    canonical: `example.com/${'a'.repeat(255)}:latest`,
    familiar: `example.com/${'a'.repeat(255)}:latest`,
  },
  {
    row: '55',
    input: 'foo_bar.com:8080',
    domain: 'docker.io',
    path: 'library/foo_bar.com',
    tag: '8080',
    canonical: 'docker.io/library/foo_bar.com:8080',
    familiar: 'foo_bar.com:8080',
  },
];

const FORMAT = 'invalid reference format';
const invalid: Invalid[] = [
  { row: '28', input: '[fe80::1%eth0]:5000/app', message: FORMAT },
  { row: '35', input: `app:${A128}a`, message: FORMAT },
  { row: '36b', input: 'app:.x', message: FORMAT },
  { row: '36c', input: 'app:-x', message: FORMAT },
  {
    row: '37',
    input: 'UBUNTU',
    message: 'invalid reference format: repository name (library/UBUNTU) must be lowercase',
  },
  {
    row: '38',
    input: 'docker.io/Ubuntu',
    message: 'invalid reference format: repository name (library/Ubuntu) must be lowercase',
  },
  { row: '41a', input: 'foo___bar', message: FORMAT },
  { row: '41b', input: 'foo..bar', message: FORMAT },
  { row: '41c', input: 'foo_.bar', message: FORMAT },
  { row: '42a', input: '-app', message: FORMAT },
  { row: '42b', input: 'app-', message: FORMAT },
  { row: '42c', input: 'foo//bar', message: FORMAT },
  { row: '42d', input: 'foo/', message: FORMAT },
  { row: '43a', input: 'ubuntu:', message: FORMAT },
  { row: '43b', input: ':latest', message: FORMAT },
  { row: '43c', input: '', message: FORMAT },
  { row: '44a', input: 'app:tag with space', message: FORMAT },
  { row: '44b', input: 'https://registry.example.com/app', message: FORMAT },
  {
    row: '45',
    input: H,
    message: `invalid repository name (${H}), cannot specify 64-byte hexadecimal strings`,
  },
  { row: '48', input: 'app@sha256:abc', message: FORMAT },
  { row: '49', input: `app@sha256:${'f'.repeat(34)}`, message: 'invalid checksum digest length' },
  { row: '50', input: `app@sha256:${H.toUpperCase()}`, message: 'invalid checksum digest format' },
  { row: '52', input: `app@md5:${'a'.repeat(32)}`, message: 'unsupported digest algorithm' },
  {
    row: '54a',
    input: `example.com/${'a'.repeat(256)}`,
    message: 'repository name must not be more than 255 characters',
  },
  {
    row: '54b',
    input: 'a'.repeat(248),
    message: 'repository name must not be more than 255 characters',
  },
];

describe('§1.3 reference normalisation table', () => {
  it('covers all 55 rows', () => {
    const rows = new Set([...valid, ...invalid].map((r) => Number.parseInt(r.row, 10)));
    expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
  });

  describe.each(valid)('row $row: $input', (row) => {
    it('parses to the tabled domain, path, tag, digest, canonical and familiar forms', () => {
      const reference = parseReference(row.input);
      expect({
        domain: reference.domain,
        path: reference.path,
        tag: reference.tag,
        digest: reference.digest?.toString(),
        canonical: reference.toString(),
        familiar: reference.familiar(),
      }).toEqual({
        domain: row.domain,
        path: row.path,
        tag: row.tag,
        digest: row.digest,
        canonical: row.canonical,
        familiar: row.familiar,
      });
    });

    it('re-parses its canonical and familiar forms to the same normalised reference', () => {
      const normalized = parseReference(row.input).normalized();
      expect(parseReference(normalized.toString()).normalized().equals(normalized)).toBe(true);
      expect(parseReference(normalized.familiar()).normalized().equals(normalized)).toBe(true);
    });
  });

  it.each(invalid)('row $row: $input is rejected', (row) => {
    let caught: unknown;
    try {
      parseReference(row.input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect({
      code: (caught as DomainError).code,
      message: (caught as DomainError).message,
    }).toEqual({
      code: 'INVALID_ARGUMENT',
      message: row.message,
    });
  });
});
