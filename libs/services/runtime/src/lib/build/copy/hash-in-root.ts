import { createReadStream, type Stats } from 'node:fs';
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tarsumHash, type TarHeader } from '../context/tarsum';

/**
 * hashInRoot is dockerd 20.10's `lazySource.Hash` for a path of an image (`COPY --from`), `rel`
 * being the path with its links already followed: the tarsum (v1) of the header moby's
 * `archive.FileInfoHeader` makes from the file's stat — named `rel` (a directory with a trailing
 * `/`), the mode with Go's file type bits, the owner's names as the host's user database gives
 * them (Go's `archive/tar` looks them up) — and of a regular file's content. A path that is gone
 * (a dangling link) hashes as its own name, as dockerd's "backwards compatibility" does.
 */
export async function hashInRoot(root: string, rel: string): Promise<string> {
  const path = join(root, rel);
  const stat = await lstat(path).catch(() => undefined);
  if (!stat) return rel;
  const type = typeOf(stat);
  const names = await hostNames();
  const hash = tarsumHash({
    name: type === 'directory' ? `${rel}/` : rel,
    mode: stat.mode,
    uid: stat.uid,
    gid: stat.gid,
    size: type === 'file' ? stat.size : 0,
    type,
    linkname: type === 'symlink' ? await readlink(path) : '',
    uname: names.users.get(stat.uid) ?? '',
    gname: names.groups.get(stat.gid) ?? '',
    ...(type === 'character-device' || type === 'block-device'
      ? { devmajor: major(stat.rdev), devminor: minor(stat.rdev) }
      : {}),
  });
  if (type === 'file' && stat.size > 0)
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function typeOf(stat: Stats): NonNullable<TarHeader['type']> {
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isCharacterDevice()) return 'character-device';
  if (stat.isBlockDevice()) return 'block-device';
  if (stat.isFIFO()) return 'fifo';
  return 'file';
}

/** Linux's `major`/`minor` of a device number, as Go's `unix.Major`/`unix.Minor` split it. */
function major(rdev: number): number {
  const dev = BigInt(rdev);
  return Number(((dev & 0xfff00n) >> 8n) | ((dev & 0xfffff00000000000n) >> 32n));
}

function minor(rdev: number): number {
  const dev = BigInt(rdev);
  return Number((dev & 0xffn) | ((dev & 0xffffff00000n) >> 12n));
}

interface HostNames {
  users: Map<number, string>;
  groups: Map<number, string>;
}

let cached: Promise<HostNames> | undefined;

/** hostNames are the host's `/etc/passwd` and `/etc/group` by ID (read once, as Go caches them). */
function hostNames(): Promise<HostNames> {
  cached ??= Promise.all([idNames('/etc/passwd'), idNames('/etc/group')]).then(
    ([users, groups]) => ({ users, groups }),
  );
  return cached;
}

/** idNames maps the third field (the ID) of a passwd/group file to the first (the name). */
async function idNames(file: string): Promise<Map<number, string>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (!name || id === undefined || !/^\d+$/.test(id)) continue;
    if (!out.has(Number(id))) out.set(Number(id), name);
  }
  return out;
}
