import type { BigIntStats } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import { DomainError } from '@stevedore/domain';

const MAX_LINKS = 255;

/**
 * resolveInRoot resolves the container path `path` to a host path inside `root`, following every
 * symlink (the last element too) the way moby's `FollowSymlinkInScope` does, as if `root` were
 * `/`: an absolute link target starts again at the root, `..` stops at the root, a missing element
 * is taken as it is. Nothing outside `root` is ever looked at (but `root`'s own real path). ENOTDIR
 * is an error, as in Docker.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const cleanRoot = await realpath(root);
  let rest = posix.normalize(`/${path}`);
  let done = '';
  for (let n = 0; rest !== ''; n++) {
    if (n > MAX_LINKS) throw DomainError.invalidArgument(`too many links in ${path}`);
    const slash = rest.indexOf('/');
    const part = slash === -1 ? rest : rest.slice(0, slash);
    rest = slash === -1 ? '' : rest.slice(slash + 1);
    if (part === '') continue;
    const clean = posix.normalize(`/${done}${part}`);
    if (clean === '/') {
      done = '';
      continue;
    }
    const full = cleanRoot + clean;
    const stat = await lstatOrMissing(full, clean);
    if (stat === undefined || !stat.isSymbolicLink()) {
      done = `${clean.slice(1)}/`;
      continue;
    }
    const target = await readlink(full);
    if (target.startsWith('/')) done = '';
    else done = `${posix.dirname(clean).slice(1)}${posix.dirname(clean) === '/' ? '' : '/'}`;
    rest = `${target}/${rest}`;
  }
  const inside = posix.normalize(`/${done}`);
  return inside === '/' ? cleanRoot : cleanRoot + inside.replace(/\/$/, '');
}

async function lstatOrMissing(full: string, shown: string): Promise<BigIntStats | undefined> {
  try {
    return await lstat(full, { bigint: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw notADirectory(shown);
    throw err;
  }
}

export function notADirectory(shown: string): DomainError {
  return DomainError.invalidArgument(`lstat ${shown}: not a directory`);
}

/**
 * PathStat is Docker's `ContainerPathStat`, sent base64-JSON in `X-Docker-Container-Path-Stat`:
 * `mode` in Go's os.FileMode bits, `mtime` RFC 3339 with nanoseconds, `linkTarget` the link fully
 * resolved inside the container (empty for a non-link).
 */
export interface PathStat {
  readonly name: string;
  readonly size: number;
  readonly mode: number;
  readonly mtime: string;
  readonly linkTarget: string;
}

/** A container path split as Docker's `ResolvePath` splits it. */
export interface ResolvedPath {
  /** The absolute container path, a trailing `/` or `/.` kept. */
  readonly absPath: string;
  /** Host path: the directory resolved in the root, the last element as given (not followed). */
  readonly resolved: string;
}

/** resolvePath is moby's container.ResolvePath: resolve the directory, keep the base. */
export async function resolvePath(root: string, path: string): Promise<ResolvedPath> {
  const absPath = preserveTrailing(posix.join('/', path), path);
  const cut = absPath.lastIndexOf('/') + 1;
  const dir = await resolveInRoot(root, absPath.slice(0, cut));
  return { absPath, resolved: `${dir}/${absPath.slice(cut)}` };
}

/**
 * statInRoot is `HEAD /containers/{id}/archive?path=`: the lstat of `path` (a symlink is described,
 * not followed; its target resolved in the root). A missing path is NOT_FOUND with Docker's
 * words, `Could not find the file <path> in container <container>`.
 */
export async function statInRoot(root: string, path: string, container = ''): Promise<PathStat> {
  const { absPath, resolved } = await resolvePath(root, path);
  const stat = await lstat(resolved, { bigint: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw fileNotFound(path, container);
    if (err.code === 'ENOTDIR') throw notADirectory(path);
    throw err;
  });
  let linkTarget = '';
  if (stat.isSymbolicLink()) {
    const host = await resolveInRoot(root, absPath);
    linkTarget = posix.join('/', posix.relative(await realpath(root), host));
  }
  return {
    name: goBase(absPath),
    size: Number(stat.size),
    mode: goFileMode(Number(stat.mode)),
    mtime: rfc3339Nano(stat.mtimeNs),
    linkTarget,
  };
}

export function fileNotFound(path: string, container: string): DomainError {
  return DomainError.notFound(`Could not find the file ${path} in container ${container}`, {
    path,
  });
}

/** preserveTrailing is moby's PreserveTrailingDotOrSeparator: `a/.` and `a/` keep their meaning. */
export function preserveTrailing(cleaned: string, original: string): string {
  if (original.endsWith('/.') && !cleaned.endsWith('/.')) {
    return cleaned.endsWith('/') ? `${cleaned}.` : `${cleaned}/.`;
  }
  if (original.endsWith('/') && !cleaned.endsWith('/')) return `${cleaned}/`;
  return cleaned;
}

/** goBase is Go's filepath.Base: trailing slashes dropped, `/` for the root. */
export function goBase(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** goFileMode turns a POSIX st_mode into Go's os.FileMode bits (as os.Lstat fills them). */
export function goFileMode(mode: number): number {
  const TYPE: Record<number, number> = {
    0o040000: 2 ** 31, // ModeDir
    0o120000: 2 ** 27, // ModeSymlink
    0o060000: 2 ** 26, // ModeDevice
    0o020000: 2 ** 26 + 2 ** 21, // ModeDevice | ModeCharDevice
    0o010000: 2 ** 25, // ModeNamedPipe
    0o140000: 2 ** 24, // ModeSocket
  };
  let out = (mode & 0o777) + (TYPE[mode & 0o170000] ?? 0);
  if (mode & 0o4000) out += 2 ** 23; // ModeSetuid
  if (mode & 0o2000) out += 2 ** 22; // ModeSetgid
  if (mode & 0o1000) out += 2 ** 20; // ModeSticky
  return out;
}

/** rfc3339Nano formats like Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped. */
export function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${base}${fraction === '' ? '' : `.${fraction}`}Z`;
}
