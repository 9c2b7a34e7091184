import { lutimes, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** INIT_DIR is the container directory's init layer (dockerd's `<id>-init` layer). */
export const INIT_DIR = 'init';

// moby's daemon/initlayer: the mount points runc binds over, present before the container runs so
// that runc never creates them in the container's own layer — `docker diff` and `docker commit`
// then show only what the container's processes did.
const DIRS = ['dev/pts', 'dev/shm', 'proc', 'sys'];
const FILES = ['.dockerenv', 'etc/resolv.conf', 'etc/hosts', 'etc/hostname', 'dev/console'];

/**
 * writeInitLayer makes `dir` dockerd's init layer: the directories and empty files runc mounts
 * over, and `etc/mtab` → `/proc/mounts`, all owned by root, mode 0755 as dockerd makes them.
 */
export async function writeInitLayer(dir: string): Promise<void> {
  for (const rel of DIRS) await mkdir(join(dir, rel), { recursive: true, mode: 0o755 });
  for (const rel of FILES) {
    await mkdir(dirname(join(dir, rel)), { recursive: true, mode: 0o755 });
    await writeFile(join(dir, rel), '', { mode: 0o755 });
  }
  await symlink('/proc/mounts', join(dir, 'etc/mtab')).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  // Whole seconds, as a layer's entries have: a copied root compares mtimes exactly.
  const now = Math.floor(Date.now() / 1000);
  for (const rel of [...FILES, 'etc/mtab']) await lutimes(join(dir, rel), now, now);
}
