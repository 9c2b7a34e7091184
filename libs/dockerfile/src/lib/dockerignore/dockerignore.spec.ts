import { DomainError } from '@stevedore/domain';
import { DockerIgnore, readIgnorePatterns } from './dockerignore';

const ignore = (...patterns: string[]): DockerIgnore => DockerIgnore.fromPatterns(patterns);

describe('DockerIgnore: the ignorefile reader (patternmatcher ignorefile_test)', () => {
  it('drops comments and blank lines, cleans paths and keeps `!` apart', () => {
    const content =
      'test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ';
    expect(readIgnorePatterns(content)).toEqual([
      'test1',
      'test2',
      'a/file/here',
      'lastfile',
      '!inverted/abs/path',
      '!',
      '!',
    ]);
  });

  it('strips a BOM and CRs, cleans `./` and trailing slashes; `#` is a comment only in column 1', () => {
    expect(readIgnorePatterns('\uFEFF./a/b/\r\n  # not a comment\r\nc/../d\r\n')).toEqual([
      'a/b',
      '# not a comment',
      'd',
    ]);
  });

  it('refuses a lone `!` and a malformed pattern', () => {
    expect(() => DockerIgnore.parse('a\n!\n')).toThrow('illegal exclusion pattern: "!"');
    expect(() => DockerIgnore.parse('[')).toThrow(DomainError);
    expect(() => DockerIgnore.parse('a[')).toThrow('syntax error in pattern');
  });
});

describe('DockerIgnore.excludes (patternmatcher TestMatches, MatchesUsingParentResults)', () => {
  // [pattern, path, matches]. patternmatcher's rows for the paths "/" and "x/" are left out:
  // paths are cleaned here, and the context root is never excluded.
  const single: [string, string, boolean][] = [
    ['**', 'file', true],
    ['**/', 'file', true],
    ['**', 'dir/file', true],
    ['**/', 'dir/file', true],
    ['**/**', 'dir/file', true],
    ['dir/**', 'dir/file', true],
    ['dir/**', 'dir/dir2/file', true],
    ['**/dir', 'dir', true],
    ['**/dir', 'dir/file', true],
    ['**/dir2/*', 'dir/dir2/file', true],
    ['**/dir2/**', 'dir/dir2/dir3/file', true],
    ['**file', 'file', true],
    ['**file', 'dir/file', true],
    ['**/file', 'dir/file', true],
    ['**file', 'dir/dir/file', true],
    ['**/file', 'dir/dir/file', true],
    ['**/file*', 'dir/dir/file', true],
    ['**/file*', 'dir/dir/file.txt', true],
    ['**/file*txt', 'dir/dir/file.txt', true],
    ['**/file*.txt', 'dir/dir/file.txt', true],
    ['**/file*.txt*', 'dir/dir/file.txt', true],
    ['**/**/*.txt', 'dir/dir/file.txt', true],
    ['**/**/*.txt2', 'dir/dir/file.txt', false],
    ['**/*.txt', 'file.txt', true],
    ['**/**/*.txt', 'file.txt', true],
    ['a**/*.txt', 'a/file.txt', true],
    ['a**/*.txt', 'a/dir/file.txt', true],
    ['a**/*.txt', 'a/dir/dir/file.txt', true],
    ['a/*.txt', 'a/dir/file.txt', false],
    ['a/*.txt', 'a/file.txt', true],
    ['a/*.txt**', 'a/file.txt', true],
    ['a[b-d]e', 'ae', false],
    ['a[b-d]e', 'ace', true],
    ['a[b-d]e', 'aae', false],
    ['a[^b-d]e', 'aze', true],
    ['.*', '.foo', true],
    ['.*', 'foo', false],
    ['abc.def', 'abcdef', false],
    ['abc.def', 'abc.def', true],
    ['abc.def', 'abcZdef', false],
    ['abc?def', 'abcZdef', true],
    ['abc?def', 'abcdef', false],
    ['**/foo/bar', 'foo/bar', true],
    ['**/foo/bar', 'dir/foo/bar', true],
    ['**/foo/bar', 'dir/dir2/foo/bar', true],
    ['abc/**', 'abc', false],
    ['abc/**', 'abc/def', true],
    ['abc/**', 'abc/def/ghi', true],
    ['**/.foo', '.foo', true],
    ['**/.foo', 'bar.foo', false],
    ['a(b)c/def', 'a(b)c/def', true],
    ['a(b)c/def', 'a(b)c/xyz', false],
    ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
    [
      'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl',
      'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl',
      true,
    ],
    ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
    ['a\\\\', 'a\\', true],
    ['a\\*b', 'a*b', true],
  ];
  it.each(single)('%s against %s → %s', (pattern, path, expected) => {
    expect(ignore(pattern).excludes(path)).toBe(expected);
  });

  const multi: [string[], string, boolean][] = [
    [['**', '!util/docker/web'], 'util/docker/web/foo', false],
    [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
    [
      ['**', '!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl'],
      'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl',
      false,
    ],
    [['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
    // patternmatcher's single-pattern tests (TestPatternMatches... in patternmatcher_test.go)
    [['*'], 'fileutils.go', true],
    [['*.go'], 'fileutils.go', true],
    [['!fileutils.go', '*.go'], 'fileutils.go', true],
    [['docs', '!docs/README.md'], 'docs/README.md', false],
    [['docs/', '!docs/README.md'], 'docs/README.md', false],
    [['docs/*', '!docs/README.md'], 'docs/README.md', false],
    [['*.go', '!fileutils.go'], 'fileutils.go', false],
    [['*.go'], '.', false],
    [[], 'any/path/there', false],
  ];
  it.each(multi)('%j against %s → %s', (patterns, path, expected) => {
    expect(ignore(...patterns).excludes(path)).toBe(expected);
  });

  it('decides directory by directory as the CLI walk does: a later pattern only re-excludes what it matches', () => {
    // Walking a/, then a/c: "a" matched a/ first, so the third "a" was never evaluated for a/;
    // at a/c the exception wins and "a" does not match a/c itself.
    expect(ignore('a', '!a/c', 'a').excludes('a/c')).toBe(false);
    expect(ignore('a', '!a/c', 'a/c').excludes('a/c')).toBe(true);
  });

  it('tells a walk when an excluded directory may hold re-included entries', () => {
    const rules = DockerIgnore.parse('docs\n!docs/keep/me.md\nnode_modules\n!**/keep\n');
    expect(rules.excludes('docs')).toBe(true);
    expect(rules.mayReincludeBelow('docs')).toBe(true);
    expect(rules.mayReincludeBelow('docs/keep')).toBe(true);
    expect(rules.excludes('docs/keep/me.md')).toBe(false);
    expect(rules.excludes('docs/other.md')).toBe(true);
    expect(rules.mayReincludeBelow('node_modules')).toBe(false); // `!**/keep` is not a prefix
    expect(DockerIgnore.parse('a\n').mayReincludeBelow('a')).toBe(false);
  });
});

describe('DockerIgnore: glob syntax (Go filepath.Match tests, as patternmatcher TestMatch ports them)', () => {
  const cases: [string, string, boolean | 'bad'][] = [
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', true],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a[^a][^a][^a]b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['[\\-x]', '-', true],
    ['[\\-x]', 'a', false],
    ['[a\\-z]', 'q', false],
    ['[]a]', ']', 'bad'],
    ['[-]', '-', 'bad'],
    ['[x-]', 'x', 'bad'],
    ['[-x]', 'x', 'bad'],
    ['\\', 'a', 'bad'],
    ['[a-b-c]', 'a', 'bad'],
    ['[', 'a', 'bad'],
    ['[^', 'a', 'bad'],
    ['[^bc', 'a', 'bad'],
    ['a[', 'a', 'bad'],
    ['*x', 'xxx', true],
    ['a]', 'a]', true],
  ];
  it.each(cases)('%s against %s → %s', (pattern, path, expected) => {
    if (expected === 'bad') {
      expect(() => ignore(pattern)).toThrow('syntax error in pattern');
    } else {
      expect(ignore(pattern).excludes(path)).toBe(expected);
    }
  });
});

describe('DockerIgnore: a context as the docker CLI 28.2.2 sent it to dockerd 20.10.24', () => {
  // The files below, this .dockerignore and `FROM scratch` + `COPY . /ctx/` were built with the
  // real CLI; `docker export` of the result listed exactly the files expected here.
  const files = [
    '.dockerignore',
    '.hidden',
    'Dockerfile',
    'a/b/c.txt',
    'a/keep/me.md',
    'a/x.md',
    'docs/README.md',
    'docs/other.md',
    'lib/a.txt',
    'lib/b(1).txt',
    'node_modules/m/keep',
    'node_modules/z',
    'sub/keep/k',
    'sub/y.go',
    'top.go',
  ];
  const dockerignore =
    'a\n!a/keep/me.md\ndocs/*\n!docs/README.md\nnode_modules\n!**/keep\n*.go\n  # not comment\n./lib/*.txt\n!lib/b(1).txt\n';

  /** The CLI's walk: an excluded directory is entered only when an exception may re-include below. */
  const sent = (rules: DockerIgnore, dir: string): string[] => {
    const prefix = dir === '' ? '' : `${dir}/`;
    const children = [
      ...new Set(
        files
          .filter((f) => f.startsWith(prefix))
          .map((f) => f.slice(prefix.length).split('/')[0] as string),
      ),
    ];
    return children.flatMap((name) => {
      const path = prefix + name;
      const isDir = !files.includes(path);
      const excluded = rules.excludes(path);
      if (!isDir) return excluded ? [] : [path];
      return !excluded || rules.mayReincludeBelow(path) ? sent(rules, path) : [];
    });
  };

  it('sends what the CLI sent', () => {
    expect(sent(DockerIgnore.parse(dockerignore), '').sort()).toEqual([
      '.dockerignore',
      '.hidden',
      'Dockerfile',
      'a/keep/me.md',
      'docs/README.md',
      'lib/b(1).txt',
      'sub/keep/k',
      'sub/y.go',
    ]);
  });
});
