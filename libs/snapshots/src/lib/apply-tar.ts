import { createWriteStream } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { DomainError, isDomainError } from '@stevedore/domain';
import { isRoot, run } from './exec';
import { SafeDirs, breakout, checkSymlinkTarget, entryPath } from './safe-path';
import { OPAQUE_MARKER, WHITEOUT_PREFIX, makeOpaque, makeWhiteout } from './whiteouts';

/** What applying a layer tar did besides writing files. */
/** An entry's body: tar-stream's (streamx) readable. */
type Body = AsyncIterable<unknown> & { resume(): unknown };

export interface AppliedTar {
  /** Directories (relative) that `.wh..wh..opq` made opaque. */
  readonly opaque: string[];
}

/**
 * applyTar unpacks an uncompressed layer tar into the empty directory `root`: later entries replace
 * earlier ones, OCI whiteouts become overlay whiteouts, and modes, owners (as root), symlinks,
 * hardlinks and mtimes are kept. An entry that would land outside `root` or write through a
 * symlink is refused with INVALID_ARGUMENT; the caller discards `root` on any error.
 */
export async function applyTar(tar: Readable, root: string): Promise<AppliedTar> {
  const entries = extract();
  const feeding = pipeline(tar, entries);
  const applier = new TarApplier(root);
  try {
    for await (const entry of entries) await applier.apply(entry.header, entry);
  } catch (err) {
    entries.destroy();
    // A failing source (a cut gzip) surfaces in the entry as a bare "destroyed": its own error says why.
    const fed = await feeding.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw isDomainError(fed) ? fed : err;
  }
  await feeding;
  await applier.finish();
  return { opaque: applier.opaque };
}

class TarApplier {
  readonly opaque: string[] = [];
  private readonly dirs: SafeDirs;
  private readonly dirTimes: [string, Date][] = [];
  private readonly root: boolean = isRoot();

  constructor(private readonly dir: string) {
    this.dirs = new SafeDirs(dir);
  }

  async apply(header: Header, body: Body): Promise<void> {
    const rel = entryPath(header.name);
    const base = posix.basename(rel);
    if (header.type !== 'file' && header.type !== 'contiguous-file') body.resume();
    if (base === OPAQUE_MARKER) return this.opaqueDir(posix.dirname(rel));
    if (base.startsWith(WHITEOUT_PREFIX)) return this.whiteout(rel, base);
    if (rel === '')
      return header.type === 'directory' ? this.metadata(this.dir, header) : undefined;
    const abs = await this.dirs.parents(rel);
    await this.clear(rel, abs, header.type === 'directory');
    if (await this.create(rel, abs, header, body)) await this.metadata(abs, header);
  }

  /** finish sets directory mtimes last: creating their entries changed them. */
  async finish(): Promise<void> {
    for (const [abs, mtime] of this.dirTimes.reverse()) await utimes(abs, mtime, mtime);
  }

  /** create makes the entry; false when it has no metadata of its own (hardlink, skipped type). */
  private async create(rel: string, abs: string, h: Header, body: Body): Promise<boolean> {
    switch (h.type) {
      case 'file':
      case 'contiguous-file':
        await pipeline(chunks(body), createWriteStream(abs, { flags: 'wx', mode: 0o600 }));
        return true;
      case 'directory':
        await mkdir(abs, { mode: 0o700 }).catch(ignoreExists);
        return true;
      case 'symlink':
        checkSymlinkTarget(rel, h.linkname ?? '');
        await symlink(h.linkname ?? '', abs);
        return true;
      case 'link':
        await this.hardlink(rel, abs, h.linkname ?? '');
        return false;
      case 'character-device':
      case 'block-device':
      case 'fifo':
        return this.device(abs, h);
      default:
        return false;
    }
  }

  private async hardlink(rel: string, abs: string, linkname: string): Promise<void> {
    const targetRel = entryPath(linkname);
    if (targetRel === '') throw breakout(`invalid hardlink ${JSON.stringify(rel)} -> the root`);
    const target = await this.dirs.parents(targetRel);
    const stat = await lstat(target).catch(() => undefined);
    if (stat === undefined || stat.isDirectory()) {
      throw DomainError.invalidArgument(
        `invalid layer: hardlink ${JSON.stringify(rel)} -> ${JSON.stringify(linkname)}: no such file in the layer`,
      );
    }
    await link(target, abs);
  }

  /** device makes a device node (root only: rootless Docker skips them too) or a FIFO. */
  private async device(abs: string, h: Header): Promise<boolean> {
    const fifo = h.type === 'fifo';
    if (!fifo && !this.root) return false;
    const kind = fifo
      ? ['p']
      : [h.type === 'block-device' ? 'b' : 'c', `${h.devmajor ?? 0}`, `${h.devminor ?? 0}`];
    const made = await run('mknod', [abs, ...kind]);
    if (!made.ok) throw DomainError.internal(`mknod ${h.name}: ${made.stderr}`);
    return true;
  }

  /** clear removes what an entry replaces; a directory over a directory merges instead. */
  private async clear(rel: string, abs: string, isDir: boolean): Promise<void> {
    const stat = await lstat(abs).catch(() => undefined);
    if (stat === undefined || (isDir && stat.isDirectory())) return;
    await rm(abs, { recursive: true, force: true });
    this.dirs.forget(rel);
  }

  private async metadata(abs: string, h: Header): Promise<void> {
    if (this.root) await lchown(abs, h.uid ?? 0, h.gid ?? 0);
    // chmod after chown: chown clears the setuid and setgid bits.
    if (h.type !== 'symlink') await chmod(abs, (h.mode ?? 0o644) & 0o7777);
    const mtime = h.mtime ?? new Date(0);
    if (h.type === 'directory') this.dirTimes.push([abs, mtime]);
    else await lutimes(abs, mtime, mtime);
  }

  private async whiteout(rel: string, base: string): Promise<void> {
    const name = base.slice(WHITEOUT_PREFIX.length);
    if (name === '' || name === '.' || name === '..')
      throw breakout(`invalid whiteout ${JSON.stringify(rel)}`);
    const target = posix.join(posix.dirname(rel), name);
    const abs = await this.dirs.parents(target);
    await this.clear(target, abs, false);
    await makeWhiteout(abs);
  }

  private async opaqueDir(dirRel: string): Promise<void> {
    const rel = dirRel === '.' ? '' : dirRel;
    const abs = await this.dirs.parents(rel === '' ? OPAQUE_MARKER : `${rel}/${OPAQUE_MARKER}`);
    await makeOpaque(posix.dirname(abs));
    this.opaque.push(rel);
  }
}

/**
 * chunks reads an entry body by async iteration: Node's pipeline does not see a streamx body's
 * destruction (a source cut mid-entry) and would wait for bytes that never come.
 */
async function* chunks(body: Body): AsyncGenerator<Buffer> {
  for await (const chunk of body) yield chunk as Buffer;
}

function ignoreExists(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
}
