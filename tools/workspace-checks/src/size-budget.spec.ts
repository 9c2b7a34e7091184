import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The size budget and the format are part of `npm test`: lint fails on a file over 300 lines or a
// source function over 40 (blank and comment lines not counted), and the Prettier check fails on a
// file out of format. These fixtures prove each rule fires where it should and only there.
const root = join(__dirname, '../../..');

/** lint runs ESLint on `code` as if it were `file`, from `cwd` (a project lints from its own directory). */
function lint(file: string, code: string, cwd = root): string[] {
  const run = spawnSync(
    join(root, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', join(root, file), '--format', 'json'],
    { cwd, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[];
  return (result?.messages ?? []).map((m) => m.ruleId ?? '');
}

function fn(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `  total += ${i};`).join('\n');
  return `export function long(): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
}

function file(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const c${i} = ${i};`).join('\n') + '\n';
}

describe('size budget', () => {
  it('rejects a source function of 41 lines and accepts one of 40', () => {
    const at = 'libs/services/gateway/src/lib/fixture.ts';
    expect(lint(at, fn(36))).not.toContain('max-lines-per-function'); // 40 lines with its frame
    expect(lint(at, fn(37))).toContain('max-lines-per-function');
  });

  it('does not count comment lines', () => {
    const commented = fn(30).replace(
      '  let total = 0;',
      `  let total = 0;\n${'  // why\n'.repeat(20)}`,
    );
    expect(lint('libs/domain/src/lib/fixture.ts', commented)).not.toContain(
      'max-lines-per-function',
    );
  });

  it('leaves long describe-shaped functions in tests and test support alone', () => {
    expect(lint('libs/services/gateway/src/lib/fixture.spec.ts', fn(80))).toEqual([]);
    expect(lint('libs/testing/src/lib/fixture.ts', fn(80))).toEqual([]);
  });

  it('rejects a source file over 300 lines', () => {
    expect(lint('libs/services/exporter/src/lib/fixture.ts', file(300))).not.toContain('max-lines');
    expect(lint('libs/services/exporter/src/lib/fixture.ts', file(301))).toContain('max-lines');
  });
});

describe('path-scoped rules when a project lints itself (as `nx lint` does)', () => {
  it('still bans Node I/O from libs/domain', () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n";
    const cwd = join(root, 'libs/domain');
    expect(lint('libs/domain/src/lib/fixture.ts', code, cwd)).toContain('no-restricted-imports');
  });

  it('still exempts the testbed from the function budget', () => {
    const cwd = join(root, 'libs/testing');
    expect(lint('libs/testing/src/lib/fixture.ts', fn(80), cwd)).toEqual([]);
  });
});

describe('format check', () => {
  it('fails on a file out of the project format and passes once formatted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'format-check-'));
    try {
      const path = join(dir, 'fixture.ts');
      const check = () =>
        spawnSync(
          join(root, 'node_modules/.bin/prettier'),
          ['--check', '--config', join(root, '.prettierrc'), path],
          { cwd: dir, encoding: 'utf8' }, // outside the workspace's .prettierignore
        ).status;
      writeFileSync(path, 'export const x = {a:1,\n  b : "two"}\n');
      expect(check()).not.toBe(0);
      writeFileSync(path, "export const x = { a: 1, b: 'two' };\n");
      expect(check()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
