import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { deferredModule } from './lazy-validators';

describe('deferredModule', () => {
  it('loads nothing until called or read, then passes calls and reads through', () => {
    let loads = 0;
    const real = Object.assign((a: number, b: number) => a + b, { locales: ['en-US'] });
    const stand = deferredModule(() => {
      loads += 1;
      return real;
    }) as typeof real & { __esModule?: boolean };
    expect(stand.__esModule).toBeUndefined();
    expect(loads).toBe(0);
    expect(stand(2, 3)).toBe(5);
    expect(stand.locales).toEqual(['en-US']);
    expect(loads).toBe(1);
  });
});

// A process of its own: Jest's module registry does not go through Node's `require`.
const PROBE = `
const { deferValidatorLibraries } = require(${JSON.stringify(join(__dirname, 'lazy-validators.ts'))});
const loaded = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + name + '/'));
deferValidatorLibraries();
const cv = require('class-validator');
const atStart = { phone: loaded('libphonenumber-js'), validator: loaded('validator') };
const checks = [cv.isPhoneNumber('+14155552671'), cv.isPhoneNumber('not a phone'), cv.isUUID('0f8fad5b-d9cb-469f-a165-70867728950e'), cv.isUUID('nope'), cv.maxLength('abc', 2)];
console.log(JSON.stringify({ atStart, checks, after: { phone: loaded('libphonenumber-js'), validator: loaded('validator') } }));
`;

describe('deferValidatorLibraries', () => {
  it('loads class-validator without its phone and string libraries, which load on first check', () => {
    const out = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', PROBE],
      {
        env: { ...process.env, TS_NODE_COMPILER_OPTIONS: '{"module":"commonjs"}' },
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out)).toEqual({
      atStart: { phone: false, validator: false },
      checks: [true, false, true, false, false],
      after: { phone: true, validator: true },
    });
  }, 60_000);
});
