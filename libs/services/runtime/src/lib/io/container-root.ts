import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { DomainError } from '@stevedore/domain';
import type { RootfsPlan } from '@stevedore/snapshots';
import type { MountRecord } from '../store/container-record';

const run = promisify(execFile);

/** isMounted says whether `target` is a mount point (`/proc/self/mountinfo`, octal escapes read). */
export async function isMounted(target: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .some((point) => point !== undefined && unescapeMountPath(point) === target);
}

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * ensureRoot makes sure an overlay root is mounted: it stays mounted from create to rm, but not
 * across a reboot of the host, so it is mounted again from the container's plan when missing.
 * A copied root is a plain directory.
 */
export async function ensureRoot(plan: RootfsPlan): Promise<string> {
  if (plan.mode !== 'overlay' || (await isMounted(plan.target))) return plan.target;
  try {
    await run('mount', ['-t', 'overlay', 'overlay', '-o', plan.options, plan.target]);
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim() || String(err);
    throw DomainError.internal(`cannot mount the root of the container: ${why}`);
  }
  return plan.target;
}

/** Where a container path lives: in a mount's source (a volume, a bind) or in the root. */
export interface PathTarget {
  root: string;
  path: string;
  mount?: MountRecord;
}

/**
 * targetOf finds the filesystem a container path is on: the mount with the longest destination
 * that holds it (the path made relative to the mount's source), or the root. Decided on the path
 * as written, as `docker cp` names it; a symlink in the root that leads into a mount is resolved
 * in the root (see the README's gaps).
 */
export function targetOf(root: string, path: string, mounts: readonly MountRecord[]): PathTarget {
  const clean = posix.normalize(`/${path}`);
  const holders = mounts
    .filter(
      (m) => clean === m.destination || clean.startsWith(`${m.destination.replace(/\/$/, '')}/`),
    )
    .sort((a, b) => b.destination.length - a.destination.length);
  const mount = holders[0];
  if (!mount) return { root, path };
  const rest = clean.slice(mount.destination.replace(/\/$/, '').length) || '/';
  // normalize keeps a trailing `/` but drops a trailing `/.`, which docker cp gives a meaning.
  if (!path.endsWith('/.')) return { root: mount.source, path: rest, mount };
  return { root: mount.source, path: rest === '/' ? '/.' : `${rest}/.`, mount };
}
