import { readFile } from 'node:fs/promises';
import { DomainError } from '@stevedore/domain';
import { resolveInRoot } from './in-root';

/** An owner to give extracted files. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * lookupUserInRoot resolves a container's `Config.User` (`name`, `uid`, `name:group`, `uid:gid`)
 * against the container's own `/etc/passwd` and `/etc/group` (read inside the root, links
 * resolved in it) — what `docker cp -a` (`copyUIDGID`) chowns to. dockerd 20.10 looks the name up
 * on the host instead, a known bug; this follows runc's reading. A numeric uid absent from the
 * passwd file gets gid 0, as runc gives it.
 */
export async function lookupUserInRoot(root: string, user: string): Promise<Owner> {
  const [userPart = '', groupPart] = user.split(':', 2);
  const passwd = await table(root, '/etc/passwd');
  const row = passwd.find((r) => r[0] === userPart) ?? passwd.find((r) => r[2] === userPart);
  const uid = row ? Number(row[2]) : numeric(userPart);
  if (uid === undefined) {
    throw DomainError.invalidArgument(
      `unable to find user ${userPart}: no matching entries in passwd file`,
    );
  }
  let gid = row ? Number(row[3]) : 0;
  if (groupPart !== undefined && groupPart !== '') {
    const groups = await table(root, '/etc/group');
    const group = groups.find((r) => r[0] === groupPart) ?? groups.find((r) => r[2] === groupPart);
    const found = group ? Number(group[2]) : numeric(groupPart);
    if (found === undefined) {
      throw DomainError.invalidArgument(
        `unable to find group ${groupPart}: no matching entries in group file`,
      );
    }
    gid = found;
  }
  return { uid, gid };
}

async function table(root: string, path: string): Promise<string[][]> {
  const file = await resolveInRoot(root, path);
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

function numeric(s: string): number | undefined {
  return /^\d+$/.test(s) ? Number(s) : undefined;
}
