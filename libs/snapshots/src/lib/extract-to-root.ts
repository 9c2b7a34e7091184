import { constants } from 'node:fs';
import {
  type FileHandle,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  open,
  realpath,
  rm,
  symlink,
} from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { DomainError, isDomainError } from '@stevedore/domain';
import { type Owner, lookupUserInRoot } from './container-user';
import { isRoot, run } from './exec';
import { fileNotFound, notADirectory, preserveTrailing, resolveInRoot } from './in-root';

export interface ExtractOptions {
  /** Refuse to replace a directory by a non-directory or the reverse (`docker cp` always sets it). */
  readonly noOverwriteDirNonDir?: boolean;
  /** `copyUIDGID=1` (`docker cp -a`): own everything by `user` rather than by the tar's ids. */
  readonly copyUIDGID?: boolean;
  /** The container's `Config.User`, looked up in the container's passwd/group for copyUIDGID. */
  readonly user?: string;
  /** The container's name or ID, for Docker's not-found message. */
  readonly container?: string;
}

/** An entry body: tar-stream's (streamx) readable. */
type Body = AsyncIterable<unknown> & { resume(): unknown };

/**
 * extractToRoot is `PUT /containers/{id}/archive?path=`, as moby's `containerExtractToDir` run in
 * its chroot: the destination (links followed inside the root) must be an existing directory
 * (NOT_FOUND `Could not find the file …`, or INVALID_ARGUMENT `extraction point is not a
 * directory`); entries are relative to it, `/abs` names included; parents are created and links
 * already in the root are followed — inside the root, never out of it. Refused with Docker's
 * `Error processing tar file(exit status 1): …` words: a name that climbs out of the destination,
 * a relative symlink pointing out of it, a hardlink to outside it. Entries before a refused one
 * stay written (as with Docker); nothing is ever written outside the root. Device nodes as root
 * only; xattrs are not applied. A read-only rootfs is the caller's refusal.
 */
export async function extractToRoot(
  root: string,
  destPath: string,
  tar: Readable,
  options: ExtractOptions = {},
): Promise<void> {
  const absPath = preserveTrailing(posix.join('/', destPath), destPath);
  const realRoot = await realpath(root);
  const dest = await resolveInRoot(realRoot, absPath);
  const stat = await lstat(dest).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw fileNotFound(destPath, options.container ?? '');
    if (err.code === 'ENOTDIR') throw notADirectory(absPath);
    throw err;
  });
  if (!stat.isDirectory()) throw DomainError.invalidArgument('extraction point is not a directory');
  const owner =
    options.copyUIDGID && options.user ? await lookupUserInRoot(realRoot, options.user) : undefined;
  const extractor = new Extractor(realRoot, dest, options.noOverwriteDirNonDir ?? false, owner);
  await extractor.run(tar);
}

class Extractor {
  private readonly dirTimes: [string, Date][] = [];
  /** The destination as the container sees it, for messages. */
  private readonly shownDest: string;

  constructor(
    private readonly root: string,
    private readonly dest: string,
    private readonly noOverwriteDirNonDir: boolean,
    private readonly owner: Owner | undefined,
  ) {
    this.shownDest = this.shown(dest);
  }

  async run(tar: Readable): Promise<void> {
    const entries = extract();
    const feeding = pipeline(tar, entries);
    try {
      for await (const entry of entries) await this.apply(entry.header, entry);
      await feeding;
    } catch (err) {
      entries.destroy();
      await feeding.catch(() => undefined);
      throw isDomainError(err) ? err : tarError((err as Error).message);
    }
    for (const [abs, mtime] of this.dirTimes.reverse()) {
      await withDir(abs, (dir) => dir.utimes(mtime, mtime)).catch(() => undefined);
    }
  }

  private async apply(h: Header, body: Body): Promise<void> {
    if (h.type !== 'file' && h.type !== 'contiguous-file') body.resume();
    const rel = this.relative(h.name);
    // moby skips the destination's own `.` entry: its owner and mode stay.
    if (rel === '') return;
    const parent = await resolveInRoot(this.root, posix.join(this.shownDest, posix.dirname(rel)));
    await mkdir(parent, { recursive: true, mode: 0o755 });
    if (!(await lstat(parent)).isDirectory()) throw notADirectory(this.shown(parent));
    const abs = posix.join(parent, posix.basename(rel));
    if (!(await this.clear(abs, h))) return;
    await this.create(rel, abs, h, body);
  }

  /** relative is moby's `Join(dest, Clean(name))` check: a name may not climb out of dest. */
  private relative(name: string): string {
    const joined = posix.join('/dest', name);
    if (joined === '/dest' || joined === '/dest/') return '';
    if (!joined.startsWith('/dest/')) {
      throw tarError(`${JSON.stringify(name)} is outside of ${JSON.stringify(this.shownDest)}`);
    }
    return joined.slice('/dest/'.length).replace(/\/+$/, '');
  }

  /** clear removes what the entry replaces; false when a directory merges into a directory. */
  private async clear(abs: string, h: Header): Promise<boolean> {
    const existing = await lstat(abs).catch(() => undefined);
    if (existing === undefined) return true;
    const isDir = h.type === 'directory';
    if (this.noOverwriteDirNonDir && existing.isDirectory() !== isDir) {
      const [what, by] = isDir ? ['non-directory', 'directory'] : ['directory', 'non-directory'];
      throw tarError(
        `cannot overwrite ${what} ${JSON.stringify(this.shown(abs))} with ${by} ${JSON.stringify(this.shownDest)}`,
      );
    }
    if (existing.isDirectory() && isDir) {
      await this.metadata(abs, h);
      return false;
    }
    await rm(abs, { recursive: true, force: true });
    return true;
  }

  private async create(rel: string, abs: string, h: Header, body: Body): Promise<void> {
    switch (h.type) {
      case 'file':
      case 'contiguous-file':
        return this.file(abs, h, body);
      case 'directory':
        await mkdir(abs, { mode: 0o700 });
        return this.metadata(abs, h);
      case 'symlink':
        return this.symlink(rel, abs, h);
      case 'link':
        return this.hardlink(abs, h.linkname ?? '');
      case 'character-device':
      case 'block-device':
      case 'fifo':
        return this.device(abs, h);
      default:
        return;
    }
  }

  /** file writes through a descriptor created here (O_EXCL, O_NOFOLLOW): it cannot be a link. */
  private async file(abs: string, h: Header, body: Body): Promise<void> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const handle = await open(abs, flags, 0o600);
    try {
      for await (const chunk of body) await handle.write(chunk as Buffer);
      const { uid, gid } = this.ids(h);
      await handle.chown(uid, gid);
      await handle.chmod((h.mode ?? 0o644) & 0o7777);
      const mtime = h.mtime ?? new Date(0);
      await handle.utimes(mtime, mtime);
    } finally {
      await handle.close();
    }
  }

  private async symlink(rel: string, abs: string, h: Header): Promise<void> {
    const target = h.linkname ?? '';
    // moby joins even an absolute target to the link's directory: only relative ones can climb.
    const resolved = posix.join('/dest', posix.dirname(rel), target);
    if (resolved !== '/dest' && !resolved.startsWith('/dest/')) {
      throw tarError(
        `invalid symlink ${JSON.stringify(this.shown(abs))} -> ${JSON.stringify(target)}`,
      );
    }
    await symlink(target, abs);
    await this.metadata(abs, h);
  }

  private async hardlink(abs: string, linkname: string): Promise<void> {
    const joined = posix.join('/dest', linkname);
    if (!joined.startsWith('/dest/')) {
      throw tarError(
        `invalid hardlink ${JSON.stringify(posix.join(this.shownDest, linkname))} -> ${JSON.stringify(linkname)}`,
      );
    }
    const rel = joined.slice('/dest/'.length);
    const parent = await resolveInRoot(this.root, posix.join(this.shownDest, posix.dirname(rel)));
    const target = posix.join(parent, posix.basename(rel));
    const stat = await lstat(target).catch(() => undefined);
    if (stat === undefined || stat.isDirectory()) {
      throw tarError(`hardlink ${JSON.stringify(linkname)}: no such file`);
    }
    await link(target, abs);
  }

  /** device makes a device node (root only: Docker skips them in a user namespace) or a FIFO. */
  private async device(abs: string, h: Header): Promise<void> {
    const fifo = h.type === 'fifo';
    if (!fifo && !isRoot()) return;
    const kind = fifo
      ? ['p']
      : [h.type === 'block-device' ? 'b' : 'c', `${h.devmajor ?? 0}`, `${h.devminor ?? 0}`];
    const mode = ((h.mode ?? 0o644) & 0o777).toString(8);
    const made = await run('mknod', ['-m', mode, abs, ...kind]);
    if (!made.ok) throw DomainError.internal(`mknod ${this.shown(abs)}: ${made.stderr}`);
    await this.metadata(abs, h);
  }

  /** metadata sets owner, mode and mtime of a non-file without following a link. */
  private async metadata(abs: string, h: Header): Promise<void> {
    const { uid, gid } = this.ids(h);
    const mtime = h.mtime ?? new Date(0);
    if (h.type === 'symlink') {
      await lchown(abs, uid, gid);
      await lutimes(abs, mtime, mtime);
      return;
    }
    if (h.type === 'directory') {
      await withDir(abs, async (dir) => {
        await dir.chown(uid, gid);
        await dir.chmod((h.mode ?? 0o755) & 0o7777);
      });
      this.dirTimes.push([abs, mtime]);
      return;
    }
    // A device or FIFO: mknod gave it its mode; opening it to fchmod could trigger the device.
    await lchown(abs, uid, gid);
    await lutimes(abs, mtime, mtime);
  }

  private ids(h: Header): Owner {
    if (this.owner) return this.owner;
    if (!isRoot()) return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    return { uid: h.uid ?? 0, gid: h.gid ?? 0 };
  }

  /** shown is a host path as the container sees it. */
  private shown(abs: string): string {
    return posix.join('/', posix.relative(this.root, abs));
  }
}

async function withDir(abs: string, use: (dir: FileHandle) => Promise<void>): Promise<void> {
  const flags = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
  const dir = await open(abs, flags);
  try {
    await use(dir);
  } finally {
    await dir.close();
  }
}

function tarError(message: string): DomainError {
  return DomainError.invalidArgument(`Error processing tar file(exit status 1): ${message}`);
}
