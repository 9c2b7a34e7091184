import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { spaceErrorOf } from '@stevedore/domain';
import { isNotFound } from './fs-util';

/** Ingest directories being removed are renamed to this prefix first (reclaim sweeps leftovers). */
export const TRASH_PREFIX = '.reclaim-';

/**
 * removeIngestDir removes the ingest directory `dir`, whose lock the caller holds, by renaming it
 * aside in one step and only then deleting it. Deleting it in place would race the processes
 * sharing the root: one that made the directory again and took its lock as the last entry went
 * (allowed: the lock was gone) would make the delete fail (ENOTEMPTY), and lose its lock with it.
 * Renamed aside, the lock leaves with the directory, and the digest's path is free at once.
 * A directory already gone is no error, nor is one left in the trash (a reclaim sweeps it; it may
 * be sweeping this one right now).
 */
export async function removeIngestDir(dir: string): Promise<void> {
  const trash = join(dirname(dir), `${TRASH_PREFIX}${basename(dir)}-${randomUUID()}`);
  try {
    await rename(dir, trash);
  } catch (err) {
    if (isNotFound(err)) return;
    throw spaceErrorOf(err) ?? err;
  }
  await rm(trash, { recursive: true, force: true }).catch(() => undefined);
}
