import { randomUUID } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DomainError, spaceErrorOf } from '@stevedore/domain';

const ME = `${hostname()} ${process.pid}`;
/**
 * How old a lock that names no owner must be before it is taken over: an empty lock file is what
 * an older version left when the disk filled between creating and writing it.
 */
const OWNERLESS_GRACE_MS = 10_000;

/**
 * lockIngest takes the cross-process lock of one ingest directory (blobstores and fetchers may
 * share a data root): a `lock` symlink whose target names its host, pid and this holding. A symlink
 * is created whole, in one step, and needs no data block, so the lock works on a full disk — where
 * reclaiming space needs it most — and never exists without its owner. A lock left by a dead
 * process on this host, or one naming no owner, is taken over; a live owner means CONFLICT, and so
 * does a directory that vanished since the caller made it (its holder committed or reclaimed it:
 * the caller looks again). Returns the unlock, which removes the lock only while it is this
 * holding's: the directory may have been set aside meanwhile, and a new holder's lock be there.
 */
export function lockIngest(dir: string, digest: string): () => void {
  const path = join(dir, 'lock');
  const mine = `${ME} ${randomUUID()}`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      symlinkSync(mine, path);
      return () => unlinkIfMine(path, mine);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') break;
      if (code !== 'EEXIST') throw spaceErrorOf(err) ?? err;
      if (!isStale(path)) break;
      unlinkQuietly(path);
    }
  }
  throw DomainError.conflict(`an ingest of ${digest} is already in progress in another process`);
}

/**
 * isStale tells whether the lock at `path` may be taken over: its owner is a dead process of this
 * host, or it names no owner at all and is older than the grace (another machine's lock can only
 * be judged by that machine).
 */
function isStale(path: string): boolean {
  const owner = ownerOf(path);
  if (owner === undefined) return true; // gone meanwhile
  const [host, pid] = owner.split(' ');
  if (!host || !pid) return ownerlessAndOld(path);
  if (host !== hostname()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** ownerOf reads a lock: a symlink's target, or the content of a lock file an older version wrote. */
function ownerOf(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') return undefined;
  }
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function ownerlessAndOld(path: string): boolean {
  try {
    return Date.now() - lstatSync(path).mtimeMs > OWNERLESS_GRACE_MS;
  } catch {
    return true;
  }
}

function unlinkIfMine(path: string, mine: string): void {
  if (ownerOf(path) === mine) unlinkQuietly(path);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (the ingest directory was removed with it).
  }
}
