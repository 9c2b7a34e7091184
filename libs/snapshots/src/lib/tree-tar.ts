import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { type TarEntry, type TarType, tarHeader, tarPadding } from './tar-writer';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from './whiteouts';
import type { TreeXattrs } from './xattrs';

const CHUNK = 256 * 1024;
const NO_XATTRS: TreeXattrs = { opaque: new Set(), capability: new Map() };

export interface TreeTarOptions {
  /** The real path of the root: every file or directory read is checked to be inside it. */
  readonly scope: string;
  /** xattrs of the walked tree, keyed by the `rel` paths given to `entry`. */
  readonly xattrs?: TreeXattrs;
  /** Turn overlay whiteouts into `.wh.<name>` and opaque directories into `.wh..wh..opq`. */
  readonly overlayWhiteouts?: boolean;
}

/**
 * TreeTar writes a directory tree as a tar, entry by entry, as moby's `TarWithOptions` does:
 * Go's `filepath.Walk` order (names sorted bytewise, parents first), a second name for an inode
 * becomes a hardlink to the first, sockets are skipped, mtimes are whole seconds, and
 * `security.capability` is kept. Nothing is buffered beyond one chunk of one file.
 *
 * Reads cannot be redirected outside the root by a running container swapping a directory for a
 * symlink: files and directories are opened with O_NOFOLLOW and the opened descriptor's real path
 * (`/proc/self/fd/N`) must lie inside `scope`, otherwise the archive fails.
 */
export class TreeTar {
  private readonly seen = new Map<string, string>();
  private readonly xattrs: TreeXattrs;

  constructor(private readonly options: TreeTarOptions) {
    this.xattrs = options.xattrs ?? NO_XATTRS;
  }

  /** walk emits `abs` (when `includeTop`) and everything below it; `name` maps a rel path. */
  async *walk(
    abs: string,
    stat: Stats,
    includeTop: boolean,
    name: (rel: string) => string,
  ): AsyncGenerator<Buffer> {
    if (includeTop) yield* this.entry(abs, '', name(''), stat);
    if (stat.isDirectory()) yield* this.below(abs, '', name);
  }

  private async *below(
    dirAbs: string,
    dirRel: string,
    name: (rel: string) => string,
  ): AsyncGenerator<Buffer> {
    for (const child of await this.list(dirAbs)) {
      const abs = join(dirAbs, child);
      const rel = dirRel === '' ? child : `${dirRel}/${child}`;
      const stat = await lstatOrUndefined(abs);
      if (stat === undefined) continue; // removed meanwhile, as filepath.Walk skips it
      yield* this.entry(abs, rel, name(rel), stat);
      if (stat.isDirectory()) yield* this.below(abs, rel, name);
    }
  }

  /** entry emits one entry (not what is below a directory): header, then the file's bytes. */
  async *entry(abs: string, rel: string, name: string, stat: Stats): AsyncGenerator<Buffer> {
    if (this.options.overlayWhiteouts && isWhiteout(stat)) {
      yield tarHeader(whiteoutEntry(name, stat));
      return;
    }
    if (!stat.isFile()) {
      const linkname = stat.isSymbolicLink() ? await readlink(abs) : undefined;
      const header = this.header(rel, name, stat, linkname);
      if (header) yield tarHeader(header);
      if (header && this.options.overlayWhiteouts && this.xattrs.opaque.has(rel)) {
        yield tarHeader(opaqueEntry(name, stat));
      }
      return;
    }
    const handle = await this.openInScope(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) throw changed(name);
      const header = this.header(rel, name, opened) as TarEntry;
      yield tarHeader(header);
      if (header.type === 'file') yield* fileBody(handle, header.size, name);
    } finally {
      await handle.close();
    }
  }

  private header(rel: string, name: string, stat: Stats, linkname?: string): TarEntry | undefined {
    const type = tarType(stat);
    if (type === undefined) return undefined;
    const common = {
      name: type === 'directory' ? `${name.replace(/\/+$/, '')}/` : name,
      mode: stat.mode & 0o7777,
      uid: stat.uid,
      gid: stat.gid,
      mtime: Math.floor(stat.mtimeMs / 1000),
      xattrs: this.capability(rel),
      linkname,
    };
    if (type !== 'directory' && stat.nlink > 1) {
      const key = `${stat.dev}:${stat.ino}`;
      const first = this.seen.get(key);
      if (first !== undefined) return { ...common, type: 'link', size: 0, linkname: first };
      this.seen.set(key, common.name);
    }
    const size = type === 'file' ? stat.size : 0;
    const dev = { devmajor: major(stat.rdev), devminor: minor(stat.rdev) };
    return { ...common, type, size, ...(type === 'char' || type === 'block' ? dev : {}) };
  }

  private capability(rel: string): ReadonlyMap<string, Buffer> | undefined {
    const cap = this.xattrs.capability.get(rel);
    return cap === undefined ? undefined : new Map([['security.capability', cap]]);
  }

  /** list reads a directory through a descriptor proven to be inside the scope. */
  private async list(dirAbs: string): Promise<string[]> {
    const flags = constants.O_RDONLY | constants.O_DIRECTORY;
    const handle = await this.openInScope(dirAbs, flags);
    try {
      const names = await readdir(`/proc/self/fd/${handle.fd}`);
      return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    } finally {
      await handle.close();
    }
  }

  private async openInScope(abs: string, flags: number): Promise<FileHandle> {
    const handle = await open(abs, flags | constants.O_NOFOLLOW);
    const real = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => '');
    const scope = this.options.scope;
    if (real !== scope && !real.startsWith(scope === '/' ? '/' : `${scope}/`)) {
      await handle.close();
      throw DomainError.conflict(`${abs} moved outside the container root while it was read`);
    }
    return handle;
  }
}

function tarType(stat: Stats): TarType | undefined {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isCharacterDevice()) return 'char';
  if (stat.isBlockDevice()) return 'block';
  if (stat.isFIFO()) return 'fifo';
  return undefined; // a socket: Docker skips them with a warning
}

export function isWhiteout(stat: Stats): boolean {
  return stat.isCharacterDevice() && stat.rdev === 0;
}

/** whiteoutEntry is moby's overlay ConvertWrite of a 0/0 device: an empty `.wh.<name>` file. */
function whiteoutEntry(name: string, stat: Stats): TarEntry {
  const dir = posix.dirname(name);
  const wh = `${WHITEOUT_PREFIX}${posix.basename(name)}`;
  return {
    name: dir === '.' ? wh : `${dir}/${wh}`,
    type: 'file',
    mode: 0o600,
    uid: stat.uid,
    gid: stat.gid,
    size: 0,
    mtime: Math.floor(stat.mtimeMs / 1000),
  };
}

/** opaqueEntry follows an opaque directory's own entry, with the directory's owner and mode. */
function opaqueEntry(dirName: string, stat: Stats): TarEntry {
  return {
    name: `${dirName.replace(/\/+$/, '')}/${OPAQUE_MARKER}`,
    type: 'file',
    mode: stat.mode & 0o777,
    uid: stat.uid,
    gid: stat.gid,
    size: 0,
    mtime: Math.floor(stat.mtimeMs / 1000),
  };
}

/** fileBody streams exactly `size` bytes (a file that grew is cut there) and the block padding. */
async function* fileBody(handle: FileHandle, size: number, name: string): AsyncGenerator<Buffer> {
  let left = size;
  while (left > 0) {
    const buf = Buffer.allocUnsafe(Math.min(left, CHUNK));
    const { bytesRead } = await handle.read(buf, 0, buf.length, null);
    if (bytesRead === 0) throw changed(name);
    left -= bytesRead;
    yield buf.subarray(0, bytesRead);
  }
  yield tarPadding(size);
}

function changed(name: string): DomainError {
  return DomainError.conflict(`${name} changed while it was archived`);
}

export async function lstatOrUndefined(abs: string): Promise<Stats | undefined> {
  return lstat(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
}

/** major and minor decode a Linux dev_t (glibc's gnu_dev_major/minor). */
function major(dev: number): number {
  return (Math.floor(dev / 256) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
}

function minor(dev: number): number {
  return (dev & 0xff) | (Math.floor(dev / 4096) & ~0xff);
}
