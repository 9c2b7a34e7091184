import { lstat, readFile, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { DomainError } from '@stevedore/domain';

const MAX_LINKS = 40;

/**
 * resolveInRoot resolves `path` as the container would see it, with `root` as `/`: every symlink
 * met on the way is followed inside the root (an absolute target restarts at the root, `..` stops
 * at it), as moby's symlink.FollowSymlinkInScope. The result never names a host file outside.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const pending = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = posix.join(root, ...done, part);
    const stat = await lstat(host).catch(() => undefined);
    if (stat === undefined || !stat.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS) {
      throw DomainError.invalidArgument(`too many levels of symbolic links in ${path}`);
    }
    const target = await readlink(host);
    if (target.startsWith('/')) done.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return posix.join(root, ...done);
}

/** readInRoot reads a file of the container root, or returns undefined when it is missing. */
export async function readInRoot(root: string, path: string): Promise<string | undefined> {
  const host = await resolveInRoot(root, path);
  const stat = await lstat(host).catch(() => undefined);
  // After resolution the last component is no symlink; anything but a regular file is "missing".
  if (stat === undefined || !stat.isFile()) return undefined;
  return readFile(host, 'utf8');
}
