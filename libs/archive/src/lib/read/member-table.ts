import type { Digest } from '@stevedore/domain';
import { invalidArchive } from '../archive-error';
import { blobPath, joinRelative } from '../member-path';
import type { StagedBlob } from './staging';

type Member =
  { kind: 'dir' } | { kind: 'link'; target: string } | { kind: 'file'; blob: StagedBlob };

/** How many links one lookup may follow before it is taken for a loop. */
const MAX_LINK_HOPS = 16;

/**
 * MemberTable is the archive's namespace as it was read: files (staged blobs), directories and
 * links (targets already confined to the archive). It refuses duplicate members, members that
 * pass through a link or a file, and more than `maxMembers` members; lookups follow links inside
 * the archive only.
 */
export class MemberTable {
  private readonly members = new Map<string, Member>();
  /** Every directory implied by a member's path (`a/b/c` implies `a` and `a/b`). */
  private readonly parents = new Set<string>();
  private count = 0;

  constructor(private readonly maxMembers: number) {}

  /** admit checks a new member's path before its data is read; `dir` members may repeat. */
  admit(path: string, kind: Member['kind']): void {
    this.count += 1;
    if (this.count > this.maxMembers)
      throw invalidArchive(`invalid archive: more than ${this.maxMembers} members`);
    if (path === '') {
      if (kind === 'dir') return;
      throw invalidArchive('invalid archive: a member has an empty name');
    }
    const existing = this.members.get(path);
    if (existing && !(existing.kind === 'dir' && kind === 'dir')) {
      throw invalidArchive(`invalid archive: member ${path} appears twice`, { member: path });
    }
    if (kind !== 'dir' && this.parents.has(path)) {
      throw invalidArchive(`invalid archive: member ${path} replaces a directory`, {
        member: path,
      });
    }
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      const prefix = parts.slice(0, i).join('/');
      const parent = this.members.get(prefix);
      if (parent?.kind === 'link')
        throw invalidArchive(`invalid archive: member ${path} passes through link ${prefix}`, {
          member: path,
        });
      if (parent?.kind === 'file')
        throw invalidArchive(`invalid archive: member ${path} is inside file ${prefix}`, {
          member: path,
        });
    }
  }

  /** addDir records a directory member (after {@link admit}). */
  addDir(path: string): void {
    if (path !== '') this.record(path, { kind: 'dir' });
  }

  /** addLink records a symlink or hard link whose target is already a path from the archive root. */
  addLink(path: string, target: string): void {
    this.record(path, { kind: 'link', target });
  }

  /** addFile records a file member and its staged blob. */
  addFile(path: string, blob: StagedBlob): void {
    this.record(path, { kind: 'file', blob });
  }

  /** has tells whether a member exists at exactly `path` (no link following). */
  has(path: string): boolean {
    return this.members.has(path);
  }

  /**
   * file returns the staged blob at `path` (as written in manifest.json: relative, may contain
   * `..` that stays inside), following links inside the archive; undefined when there is none.
   */
  file(path: string): StagedBlob | undefined {
    const member = this.members.get(this.resolve(joinRelative(path)));
    return member?.kind === 'file' ? member.blob : undefined;
  }

  /** blob returns the staged blob stored under `blobs/<alg>/<hex>` for `digest`. */
  blob(digest: Digest | string): StagedBlob | undefined {
    return this.file(blobPath(digest));
  }

  private record(path: string, member: Member): void {
    this.members.set(path, member);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i += 1) this.parents.add(parts.slice(0, i).join('/'));
  }

  /** resolve replaces every link along `path` by its target, refusing loops. */
  private resolve(path: string): string {
    let pending = path === '' ? [] : path.split('/');
    let done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const [next, ...rest] = pending;
      pending = rest;
      done.push(next ?? '');
      const member = this.members.get(done.join('/'));
      if (member?.kind !== 'link') continue;
      hops += 1;
      if (hops > MAX_LINK_HOPS)
        throw invalidArchive(`invalid archive: too many links while resolving ${path}`, { path });
      pending = [...(member.target === '' ? [] : member.target.split('/')), ...pending];
      done = [];
    }
    return done.join('/');
  }
}
