import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from './fs-util';
import { StoreLayout } from './layout';
import { TRASH_PREFIX, removeIngestDir } from './set-aside';
import { IngestLimits, KeptIngest, staleIngests } from './stale-ingests';

/** ReclaimedIngests is what a reclaim removed: interrupted ingests, and the bytes they held. */
export interface ReclaimedIngests {
  ingests: number;
  bytes: number;
}

/** IngestClaim takes the ingest directory `name` for removal, or answers undefined while it is in use. */
export type IngestClaim = (name: string) => (() => void) | undefined;

/**
 * reclaimIngests removes the interrupted ingests that {@link staleIngests} picks. An ingest someone
 * writes (its lock is held, here or in another live process) is neither counted nor removed; each
 * one removed is held by `claim` meanwhile and renamed out of the way before its bytes go, so a
 * writer that starts next finds no half-removed directory. Leftovers of an interrupted reclaim go too.
 */
export async function reclaimIngests(
  layout: StoreLayout,
  limits: IngestLimits,
  claim: IngestClaim,
  now = Date.now(),
): Promise<ReclaimedIngests> {
  const names = await readdir(layout.ingestDir).catch((err: unknown) => {
    if (isNotFound(err)) return [] as string[];
    throw err;
  });
  const reclaimed: ReclaimedIngests = { ingests: 0, bytes: 0 };
  for (const name of names.filter((n) => n.startsWith(TRASH_PREFIX)))
    // The writer that set it aside may be removing it too: what either leaves, the next sweep takes.
    await rm(join(layout.ingestDir, name), { recursive: true, force: true }).catch(() => undefined);
  const kept = await keptIngests(layout, names, claim);
  for (const victim of staleIngests(kept, limits, now)) {
    const release = claim(victim.name);
    if (!release) continue; // a writer took it since it was measured
    try {
      await removeIngestDir(join(layout.ingestDir, victim.name));
      reclaimed.ingests += 1;
      reclaimed.bytes += victim.bytes;
    } finally {
      release();
    }
  }
  return reclaimed;
}

/** keptIngests measures every ingest no one is writing: its bytes, and when they were last written. */
async function keptIngests(
  layout: StoreLayout,
  names: string[],
  claim: IngestClaim,
): Promise<KeptIngest[]> {
  const kept: KeptIngest[] = [];
  for (const name of names.filter((n) => !n.startsWith(TRASH_PREFIX))) {
    // Measured before the claim: taking the lock touches the directory's own time.
    const measured = await measure(join(layout.ingestDir, name));
    const release = measured && claim(name);
    if (!release) continue; // committed or reclaimed meanwhile, or in use
    release();
    kept.push({ name, ...measured });
  }
  return kept;
}

/** measure reads an ingest's bytes and when they were last written; undefined when it is gone. */
async function measure(dir: string): Promise<Omit<KeptIngest, 'name'> | undefined> {
  try {
    // No data file: the process died between creating the directory and opening the file.
    const info = await stat(join(dir, 'data')).catch(() => stat(dir));
    return { bytes: info.isFile() ? info.size : 0, modifiedMs: info.mtimeMs };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
