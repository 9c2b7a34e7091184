import { Digest } from '@stevedore/domain';
import { invalidArchive } from './archive-error';

/**
 * normalizeMemberPath returns a tar member name as a clean relative path (`./a//b/` → `a/b`; the
 * archive root is `''`). Absolute names, `..` components and NUL bytes are refused with
 * INVALID_ARGUMENT: nothing in an image archive may point outside it.
 */
export function normalizeMemberPath(name: string): string {
  if (name.includes('\0'))
    throw invalidArchive(
      `invalid archive: member name ${JSON.stringify(name)} contains a NUL byte`,
    );
  if (name.startsWith('/'))
    throw invalidArchive(`invalid archive: member ${name} has an absolute path`, { member: name });
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..'))
    throw invalidArchive(`invalid archive: member ${name} escapes the archive`, { member: name });
  return parts.join('/');
}

/**
 * resolveLinkTarget turns a link's target into a path from the archive root: a symlink's target is
 * relative to the link's directory, a hard link's to the root. An absolute target, or one that
 * climbs above the root, is refused with INVALID_ARGUMENT.
 */
export function resolveLinkTarget(linkPath: string, target: string, hard: boolean): string {
  const refuse = () =>
    invalidArchive(`invalid archive: link ${linkPath} points outside the archive (${target})`, {
      member: linkPath,
      target,
    });
  if (target === '' || target.startsWith('/') || target.includes('\0')) throw refuse();
  const base = hard ? [] : linkPath.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') base.push(part);
    else if (base.pop() === undefined) throw refuse();
  }
  return base.join('/');
}

/** joinRelative resolves `path` (as written in manifest.json) against the archive root, refusing escapes. */
export function joinRelative(path: string): string {
  const out: string[] = [];
  if (path.startsWith('/'))
    throw invalidArchive(`invalid archive: path ${path} is absolute`, { path });
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') out.push(part);
    else if (out.pop() === undefined)
      throw invalidArchive(`invalid archive: path ${path} escapes the archive`, { path });
  }
  return out.join('/');
}

/** blobPath is where a blob lives in an OCI layout: `blobs/<algorithm>/<hex>`. */
export function blobPath(digest: Digest | string): string {
  const parsed = typeof digest === 'string' ? Digest.parse(digest) : digest;
  return `blobs/${parsed.algorithm}/${parsed.hex}`;
}

/** blobPathDigest reads the digest an OCI-layout path names (`blobs/sha256/<hex>`), if it names one we can verify. */
export function blobPathDigest(path: string): Digest | undefined {
  const match = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(path);
  if (!match) return undefined;
  const text = `${match[1]}:${match[2]}`;
  return Digest.isValid(text) ? Digest.parse(text) : undefined;
}
