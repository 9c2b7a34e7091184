import {
  chmod,
  copyFile,
  lchown,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
  utimes,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import { isRoot, run } from './exec';

/**
 * copySnapshot copies one snapshot tree over `target` — the copying snapshotter for hosts that
 * refuse overlayfs. Overlay semantics by hand: a 0/0 character device deletes the name below it,
 * an opaque directory (listed in the snapshot's meta, so no xattr read is needed) empties the
 * directory before its own entries land. Hardlinks become copies.
 */
export async function copySnapshot(
  tree: string,
  target: string,
  opaque: readonly string[],
): Promise<void> {
  await copyDir(tree, target, '', new Set(opaque));
}

async function copyDir(
  src: string,
  dst: string,
  rel: string,
  opaque: ReadonlySet<string>,
): Promise<void> {
  if (opaque.has(rel)) {
    for (const name of await readdir(dst))
      await rm(join(dst, name), { recursive: true, force: true });
  }
  for (const name of await readdir(src)) {
    const from = join(src, name);
    const to = join(dst, name);
    const stat = await lstat(from);
    const existing = await lstat(to).catch(() => undefined);
    if (existing && !(stat.isDirectory() && existing.isDirectory()))
      await rm(to, { recursive: true, force: true });
    if (stat.isCharacterDevice() && stat.rdev === 0) continue; // a whiteout: the name is gone
    await copyEntry(from, to, stat, rel === '' ? name : `${rel}/${name}`, opaque);
  }
}

async function copyEntry(
  from: string,
  to: string,
  stat: Stats,
  rel: string,
  opaque: ReadonlySet<string>,
): Promise<void> {
  if (stat.isDirectory()) {
    await mkdir(to, { recursive: true });
    await copyDir(from, to, rel, opaque);
  } else if (stat.isSymbolicLink()) {
    await symlink(await readlink(from), to);
  } else if (stat.isFile()) {
    await copyFile(from, to);
  } else {
    const made = await run('cp', ['-a', from, to]);
    if (!made.ok) return;
  }
  await keepMetadata(to, stat);
}

async function keepMetadata(path: string, stat: Stats): Promise<void> {
  if (isRoot()) await lchown(path, stat.uid, stat.gid);
  if (!stat.isSymbolicLink()) await chmod(path, stat.mode & 0o7777);
  if (stat.isDirectory()) await utimes(path, stat.atime, stat.mtime);
  else await lutimes(path, stat.atime, stat.mtime);
}
