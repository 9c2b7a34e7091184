import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { run } from './exec';

/**
 * createNetns makes a persistent network namespace bound to `<dir>/<name>`, as `ip netns add` does
 * but in any directory: an empty file, then `unshare --net=<file>` bind-mounts the new namespace on
 * it. The namespace lives as long as that mount, not as long as any process, so it survives a
 * restart of this service and runc can join it by path.
 */
export async function createNetns(dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const path = join(dir, name);
  // A leftover from a crash between create and record is ours to replace.
  await removeNetns(path);
  const handle = await open(path, 'wx', 0o444);
  await handle.close();
  const made = await run('unshare', [`--net=${path}`, 'true']);
  if (!made.ok) {
    await unlink(path).catch(() => undefined);
    throw DomainError.unsupported(
      `cannot create a network namespace at ${path}: ${made.stderr || 'unshare failed'}`,
    );
  }
  return path;
}

/** removeNetns unmounts and deletes a namespace file; a missing or unmounted file is fine. */
export async function removeNetns(path: string): Promise<void> {
  // umount refuses a path that is not a mount point, which is the idempotent case.
  await run('umount', [path]);
  await unlink(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}
