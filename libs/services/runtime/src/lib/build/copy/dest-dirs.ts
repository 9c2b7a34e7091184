import { chmod, chown, lstat, mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { type Owner, resolveInRoot } from '@stevedore/snapshots';
import { BuildError } from '../build-error';

export const ROOT_OWNER: Owner = { uid: 0, gid: 0 };

/**
 * mkdirAllInRoot is idtools' `MkdirAllAndChownNew(path, 0755, owner)` in a container root, links
 * followed inside it: each missing directory of `path` is made mode 0755 (whatever the umask) and
 * owned by `owner` (`last` for `path` itself); directories that exist keep their mode and owner.
 * Says whether `path` itself was made.
 */
export async function mkdirAllInRoot(
  root: string,
  path: string,
  owner: Owner,
  last: Owner = owner,
): Promise<boolean> {
  const parts = posix.normalize(`/${path}`).split('/').filter(Boolean);
  let made = false;
  for (const [i, part] of parts.entries()) {
    const shown = `/${[...parts.slice(0, i), part].join('/')}`;
    const full = await resolveInRoot(root, shown);
    const stat = await lstat(full).catch(() => undefined);
    made = stat === undefined;
    if (stat && !stat.isDirectory()) throw new BuildError(`mkdir ${shown}: not a directory`);
    if (!made) continue;
    await mkdir(full, { mode: 0o755 });
    await chmod(full, 0o755);
    const ids = i === parts.length - 1 ? last : owner;
    if (process.getuid?.() === 0) await chown(full, ids.uid, ids.gid);
  }
  return made;
}
