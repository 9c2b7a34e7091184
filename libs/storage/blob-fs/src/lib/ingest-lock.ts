import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';

const ME = `${hostname()} ${process.pid}`;

/**
 * lockIngest takes the cross-process lock of one ingest directory (several blobstore processes
 * may share a data root): a `lock` file created exclusively, naming its host and pid. A lock left
 * by a dead process on this host is taken over; a live owner means CONFLICT. Returns the unlock.
 */
export function lockIngest(dir: string, digest: string): () => void {
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, ME, { flag: 'wx' });
      return () => unlinkQuietly(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!ownerIsDead(path)) break;
      unlinkQuietly(path);
    }
  }
  throw DomainError.conflict(`an ingest of ${digest} is already in progress in another process`);
}

function ownerIsDead(path: string): boolean {
  let owner: string;
  try {
    owner = readFileSync(path, 'utf8');
  } catch {
    return true; // gone meanwhile
  }
  const [host, pid] = owner.split(' ');
  if (host !== hostname() || !pid) return false; // another machine's: only it can tell
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (the ingest directory was removed with it).
  }
}
