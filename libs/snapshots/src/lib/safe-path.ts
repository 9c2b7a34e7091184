import { lstat, mkdir } from 'node:fs/promises';
import { posix, join } from 'node:path';
import { DomainError } from '@stevedore/domain';

/**
 * entryPath turns a tar entry name into a path relative to the layer root, or refuses it: an
 * absolute name or one whose `..` climbs out of the root is a breakout (moby's `breakoutError`).
 * `./a/b/` and `a//b` are the same `a/b`; the root itself is `''`.
 */
export function entryPath(name: string): string {
  if (name.startsWith('/')) throw breakout(`${JSON.stringify(name)} is an absolute path`);
  const clean = posix.normalize(name).replace(/\/+$/, '');
  if (clean === '..' || clean.startsWith('../')) {
    throw breakout(`${JSON.stringify(name)} is outside of the layer root`);
  }
  return clean === '.' ? '' : clean;
}

/**
 * checkSymlinkTarget refuses a relative symlink whose target, taken from the link's directory, leaves
 * the root — moby's `invalid symlink` check. Absolute targets resolve inside the container root.
 */
export function checkSymlinkTarget(rel: string, target: string): void {
  if (target.startsWith('/')) return;
  const resolved = posix.normalize(posix.join(posix.dirname(rel), target));
  if (resolved === '..' || resolved.startsWith('../')) {
    throw breakout(`invalid symlink ${JSON.stringify(rel)} -> ${JSON.stringify(target)}`);
  }
}

export function breakout(what: string): DomainError {
  return DomainError.invalidArgument(`invalid layer: ${what}: refusing to unpack outside the root`);
}

/**
 * SafeDirs makes sure every parent of an entry is a real directory inside the root, creating
 * missing ones, so no write ever goes through a symlink (a layer's `etc -> /etc` followed by
 * `etc/passwd` is refused). Directories already checked are remembered until a replacement could
 * have turned one into something else.
 */
export class SafeDirs {
  private readonly known = new Set<string>(['']);

  constructor(private readonly root: string) {}

  /** parents ensures the parents of `rel` and returns its absolute path. */
  async parents(rel: string): Promise<string> {
    const parts = rel.split('/');
    let current = '';
    for (const part of parts.slice(0, -1)) {
      current = current === '' ? part : `${current}/${part}`;
      if (!this.known.has(current)) await this.ensureDir(current);
    }
    return join(this.root, rel);
  }

  /** forget drops what is known below `rel` after it was replaced or removed. */
  forget(rel: string): void {
    for (const dir of this.known) {
      if (dir === rel || dir.startsWith(`${rel}/`)) this.known.delete(dir);
    }
  }

  private async ensureDir(rel: string): Promise<void> {
    const abs = join(this.root, rel);
    const stat = await lstat(abs).catch(() => undefined);
    if (stat === undefined) await mkdir(abs, { mode: 0o755 });
    else if (stat.isSymbolicLink())
      throw breakout(`${JSON.stringify(rel)} is a symlink that a later entry writes through`);
    else if (!stat.isDirectory()) {
      throw DomainError.invalidArgument(`invalid layer: ${JSON.stringify(rel)} is not a directory`);
    }
    this.known.add(rel);
  }
}
