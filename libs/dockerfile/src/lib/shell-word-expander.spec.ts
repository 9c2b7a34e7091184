import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { ShellWordExpander } from './shell-word-expander';

const testdata = (name: string): string[] =>
  readFileSync(join(__dirname, 'testdata', name), 'utf8').split('\n');

describe('ShellWordExpander.word (buildkit envVarTest)', () => {
  const env = new Map([
    ['PWD', '/home'],
    ['SHELL', 'bash'],
    ['KOREAN', '한국어'],
    ['NULL', ''],
  ]);
  const vectors = testdata('envVarTest')
    .filter((line) => !line.startsWith('#') && line.trim() !== '')
    .map((line) => line.split('|').map((part) => part.trim()) as [string, string, string])
    .filter(([platform]) => platform !== 'W');
  const expander = new ShellWordExpander('\\');

  it.each(vectors)('%s %s → %s', (_platform, source, expected) => {
    if (expected === 'error') {
      expect(() => expander.word(source, env)).toThrow(DomainError);
    } else {
      expect(expander.word(source, env)).toBe(expected);
    }
  });
});

describe('ShellWordExpander.words (moby wordsTest)', () => {
  const cases: [string, string[], Map<string, string>][] = [];
  const env = new Map<string, string>();
  for (const line of testdata('wordsTest')) {
    if (line.startsWith('#') || line === '') continue;
    if (line.startsWith('ENV ')) {
      const assignment = line.slice(3).replace(/^ +/, '');
      const eq = assignment.indexOf('=');
      env.set(assignment.slice(0, eq), assignment.slice(eq + 1));
      continue;
    }
    const [input, expected] = line.split('|') as [string, string];
    cases.push([input.trim(), expected.replace(/^ +/, '').split(','), new Map(env)]);
  }

  it.each(cases)('%j → %j', (input, expected, vars) => {
    const expander = new ShellWordExpander();
    if (expected[0] === 'error') {
      expect(() => expander.words(input, vars)).toThrow(DomainError);
    } else {
      expect(expander.words(input, vars)).toEqual(expected);
    }
  });
});

describe('ShellWordExpander', () => {
  const expander = new ShellWordExpander();

  it('refuses unset or empty variables with ? and :? using the message given (buildkit lex_test)', () => {
    const set = new Map([
      ['VAR', 'plain'],
      ['ARG', 'x'],
    ]);
    const empty = new Map([
      ['VAR', ''],
      ['ARG', 'x'],
    ]);
    const unset = new Map([['ARG', 'x']]);
    expect(expander.word('${VAR:?message here$ARG}', set)).toBe('plain');
    expect(() => expander.word('${VAR:?message here$ARG}', empty)).toThrow('VAR: message herex');
    expect(() => expander.word('${VAR:?message here$ARG}', unset)).toThrow('message herex');
    expect(expander.word('${VAR?message here$ARG}', set)).toBe('plain');
    expect(expander.word('${VAR?message here$ARG}', empty)).toBe('');
    expect(() => expander.word('${VAR?message here$ARG}', unset)).toThrow('message herex');
  });

  // Messages as dockerd 20.10.24 printed them for `ENV a=<word>` (oracle runs, see README).
  it.each([
    ['${b-c}', `failed to process "\${b-c}": missing ':' in substitution`],
    ['${b:?oops}', `failed to process "\${b:?oops}": b: oops`],
    ['${b?oops}', `failed to process "\${b?oops}": b: oops`],
    ['${b:?}', `failed to process "\${b:?}": b: is not allowed to be unset`],
    ['${b', `failed to process "\${b": missing ':' in substitution`],
    ['${b:-x', `failed to process "\${b:-x": syntax error: missing '}'`],
    [
      "'abc",
      `failed to process "'abc": unexpected end of statement while looking for matching single-quote`,
    ],
    ['${}', `failed to process "\${}": syntax error: bad substitution`],
    ['${b:=x}', `failed to process "\${b:=x}": unsupported modifier (=) in substitution`],
    [
      '"abc',
      `failed to process "\\"abc": unexpected end of statement while looking for matching double-quote`,
    ],
  ])('fails %s like dockerd', (word, message) => {
    expect(() => expander.word(word, new Map())).toThrow(message);
  });

  it('uses the backtick as escape character when the Dockerfile says so', () => {
    const backtick = new ShellWordExpander('`');
    const env = new Map([['a', 'x']]);
    expect(backtick.word('`$a\\$a', env)).toBe('$a\\x');
    expect(backtick.word('"`"\\"', env)).toBe('"\\');
    expect(backtick.words('a` b c', env)).toEqual(['a b', 'c']);
  });

  it('splits expansions on whitespace but never quoted text', () => {
    const env = new Map([['v', ' 1  2 ']]);
    expect(expander.words('$v "$v" \'$v\'', env)).toEqual(['1', '2', ' 1  2 ', '$v']);
    expect(expander.word('$v', env)).toBe(' 1  2 ');
    expect(expander.words('"" x', env)).toEqual(['x']);
  });
});
