import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockIngest } from './ingest-lock';

describe('lockIngest (cross-process ingest lock, real files)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ingest-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in, refuses a second with CONFLICT, and frees the lock on unlock', () => {
    const unlock = lockIngest(dir, 'sha256:x');
    expect(readlinkSync(join(dir, 'lock'))).toMatch(`${hostname()} ${process.pid} `);
    expect(() => lockIngest(dir, 'sha256:x')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    unlock();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    lockIngest(dir, 'sha256:x')();
  });

  it('takes over the lock of a dead process on this host, never one of another host', () => {
    writeFileSync(join(dir, 'lock'), `${hostname()} 2147483646`);
    const unlock = lockIngest(dir, 'sha256:x');
    unlock();
    writeFileSync(join(dir, 'lock'), 'elsewhere.example 1');
    expect(() => lockIngest(dir, 'sha256:x')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
  });

  it('takes over an empty lock file (a full disk cut its writing) once it is not fresh', () => {
    const lock = join(dir, 'lock');
    writeFileSync(lock, '');
    expect(() => lockIngest(dir, 'sha256:x')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, aMinuteAgo, aMinuteAgo);
    lockIngest(dir, 'sha256:x')();
    expect(existsSync(lock)).toBe(false);
  });

  it('an unlock removes only its own holding: the directory set aside, a new holder keeps its lock', () => {
    const aside = `${dir}-aside`;
    mkdirSync(join(dir, 'ingest'));
    const first = lockIngest(join(dir, 'ingest'), 'sha256:x');
    renameSync(join(dir, 'ingest'), aside); // as a commit or reclaim sets an ingest aside
    mkdirSync(join(dir, 'ingest'));
    const second = lockIngest(join(dir, 'ingest'), 'sha256:x');
    first();
    expect(() => lockIngest(join(dir, 'ingest'), 'sha256:x')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    second();
    rmSync(aside, { recursive: true, force: true });
  });

  it('answers CONFLICT when the directory went away before the lock (its holder finished it)', () => {
    expect(() => lockIngest(join(dir, 'gone'), 'sha256:x')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
  });
});
