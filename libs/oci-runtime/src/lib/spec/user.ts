import { DomainError } from '@stevedore/domain';
import { readInRoot } from './secure-path';
import type { OciUser } from './types';

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** ResolvedUser is the process identity plus the home directory Docker puts in HOME. */
export interface ResolvedUser extends OciUser {
  home: string;
}

function lines(text: string | undefined): string[][] {
  return (text ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

function parsePasswd(text: string | undefined): PasswdEntry[] {
  return lines(text).map(([name = '', , uid = '', gid = '', , home = '']) => ({
    name,
    uid: Number(uid),
    gid: Number(gid),
    home,
  }));
}

function parseGroup(text: string | undefined): GroupEntry[] {
  return lines(text).map(([name = '', , gid = '', members = '']) => ({
    name,
    gid: Number(gid),
    members: members.split(',').filter((m) => m !== ''),
  }));
}

const isNumeric = (s: string) => /^\d+$/.test(s);

function findUser(
  spec: string,
  passwd: PasswdEntry[],
): { uid: number; gid: number; home: string; name?: string } {
  const byName = passwd.find((p) => p.name === spec);
  if (byName) return byName;
  if (isNumeric(spec)) {
    const uid = Number(spec);
    const byId = passwd.find((p) => p.uid === uid);
    return byId ?? { uid, gid: 0, home: '/' };
  }
  throw DomainError.invalidArgument(
    `unable to find user ${spec}: no matching entries in passwd file`,
  );
}

function findGroup(spec: string, groups: GroupEntry[]): number {
  const byName = groups.find((g) => g.name === spec);
  if (byName) return byName.gid;
  if (isNumeric(spec)) return Number(spec);
  throw DomainError.invalidArgument(
    `unable to find group ${spec}: no matching entries in group file`,
  );
}

/**
 * resolveUser turns Docker's `User` (`name`, `uid`, `name:group`, `uid:gid`; empty is root) into
 * ids, reading /etc/passwd and /etc/group of the container root without ever leaving it, like
 * runc's user.GetExecUserPath: a numeric id absent from passwd is allowed, an unknown name is not.
 * Without an explicit group, the user's supplementary groups from /etc/group are added.
 */
export async function resolveUser(rootfs: string, spec = ''): Promise<ResolvedUser> {
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd = parsePasswd(await readInRoot(rootfs, '/etc/passwd'));
  const user = findUser(userPart === '' ? '0' : userPart, passwd);
  const groups = parseGroup(await readInRoot(rootfs, '/etc/group'));
  if (groupPart !== undefined && groupPart !== '') {
    const gid = findGroup(groupPart, groups);
    return { uid: user.uid, gid, additionalGids: [gid], home: user.home || '/' };
  }
  const name = user.name;
  const extra = name ? groups.filter((g) => g.members.includes(name)).map((g) => g.gid) : [];
  const additionalGids = [user.gid, ...extra.filter((g) => g !== user.gid)];
  return { uid: user.uid, gid: user.gid, additionalGids, home: user.home || '/' };
}
