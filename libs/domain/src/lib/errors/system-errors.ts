import { DomainError, isDomainError } from './domain-error';

/**
 * The errors that mean "the disk is full", by the code they carry, with the words the OS uses for
 * them (dockerd passes these messages on as they are): a failed write, fsync or rename reports
 * ENOSPC or EDQUOT; better-sqlite3 reports SQLITE_FULL when the database cannot grow.
 */
const NO_SPACE_MESSAGES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  SQLITE_FULL: 'no space left on device',
};

/**
 * spaceErrorOf turns an error raised because the disk (or a quota, or the database) is full into
 * NO_SPACE, or answers undefined for any other error. The message never names the path: that is
 * internal, and the caller knows which request failed.
 */
export function spaceErrorOf(err: unknown): DomainError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !Object.hasOwn(NO_SPACE_MESSAGES, code)) return undefined;
  const syscall = (err as { syscall?: unknown }).syscall;
  const details = typeof syscall === 'string' ? { errno: code, syscall } : { errno: code };
  return new DomainError('NO_SPACE', NO_SPACE_MESSAGES[code] as string, details, { cause: err });
}

/**
 * asDomainError is how an edge reads a thrown error: a DomainError as it is, a full disk as
 * NO_SPACE, and undefined for anything else (which the edge hides behind INTERNAL).
 */
export function asDomainError(err: unknown): DomainError | undefined {
  return isDomainError(err) ? err : spaceErrorOf(err);
}
