import { DomainError } from './domain-error';
import { asDomainError, spaceErrorOf } from './system-errors';

/** A failed system call as Node reports it (fs, fsync, rename all carry `code` and `syscall`). */
function systemError(code: string, syscall: string): Error {
  return Object.assign(new Error(`${code}: failed, ${syscall} '/data/content/ingest/x/data'`), {
    code,
    syscall,
    errno: -28,
  });
}

describe('errors of a full disk', () => {
  it.each([
    ['ENOSPC', 'write'],
    ['ENOSPC', 'fsync'],
    ['ENOSPC', 'rename'],
    ['EDQUOT', 'write'],
  ])('a failed %s %s becomes NO_SPACE in the OS words, without the path', (code, syscall) => {
    const error = spaceErrorOf(systemError(code, syscall));
    expect(error).toBeInstanceOf(DomainError);
    expect(error?.code).toBe('NO_SPACE');
    expect(error?.message).toBe(
      code === 'ENOSPC' ? 'no space left on device' : 'disk quota exceeded',
    );
    expect(error?.message).not.toContain('/data');
  });

  it("reads SQLite's SQLITE_FULL (better-sqlite3's SqliteError) as NO_SPACE too", () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(spaceErrorOf(full)).toMatchObject({
      code: 'NO_SPACE',
      message: 'no space left on device',
    });
  });

  it('leaves every other error alone', () => {
    expect(spaceErrorOf(systemError('EACCES', 'open'))).toBeUndefined();
    expect(spaceErrorOf(new Error('ENOSPC in a message only'))).toBeUndefined();
    expect(spaceErrorOf(undefined)).toBeUndefined();
  });

  it('asDomainError keeps a domain error, translates a full disk, and knows nothing else', () => {
    const conflict = DomainError.conflict('busy');
    expect(asDomainError(conflict)).toBe(conflict);
    expect(asDomainError(systemError('ENOSPC', 'write'))?.code).toBe('NO_SPACE');
    expect(asDomainError(new Error('boom'))).toBeUndefined();
  });
});
