import { DomainError } from '@stevedore/domain';
import type { BindMount, ContainerSpecInput, OciMount } from './types';

const NOSUID_NOEXEC_NODEV = ['nosuid', 'noexec', 'nodev'];

/** Docker's default mounts (moby oci/defaults.go plus /dev/shm at 64 MiB), in Docker's order. */
export function defaultMounts(privileged: boolean): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: NOSUID_NOEXEC_NODEV },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    {
      destination: '/sys',
      type: 'sysfs',
      source: 'sysfs',
      options: [...NOSUID_NOEXEC_NODEV, privileged ? 'rw' : 'ro'],
    },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: [privileged ? 'rw' : 'ro', ...NOSUID_NOEXEC_NODEV],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: NOSUID_NOEXEC_NODEV },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: [...NOSUID_NOEXEC_NODEV, 'mode=1777', 'size=67108864'],
    },
  ];
}

function checkAbsolute(path: string, what: string): void {
  if (!path.startsWith('/')) {
    throw DomainError.invalidArgument(
      `invalid mount config: ${what} ${JSON.stringify(path)} is not an absolute path`,
    );
  }
}

function bind(m: BindMount): OciMount {
  checkAbsolute(m.source, 'source');
  checkAbsolute(m.destination, 'destination');
  if (m.destination === '/') {
    throw DomainError.invalidArgument("invalid mount config: destination can't be '/'");
  }
  const options = ['rbind', m.propagation ?? 'rprivate'];
  if (m.readonly) options.push('ro');
  return { destination: m.destination, type: 'bind', source: m.source, options };
}

/**
 * buildMounts lists the container's mounts: Docker's defaults, the /etc files, then the user's
 * binds; a bind over a default destination replaces it (as moby's mergeMounts does).
 */
export function buildMounts(input: ContainerSpecInput): OciMount[] {
  const binds = (input.mounts ?? []).map(bind);
  const etc = input.etcFiles ?? {};
  const etcMounts: OciMount[] = [
    ['/etc/resolv.conf', etc.resolvConf],
    ['/etc/hostname', etc.hostname],
    ['/etc/hosts', etc.hosts],
  ]
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([destination, source]) => ({
      destination,
      type: 'bind',
      source,
      options: ['rbind', 'rprivate'],
    }));
  const user = new Set(binds.map((b) => b.destination));
  const base = [...defaultMounts(input.privileged ?? false), ...etcMounts].filter(
    (m) => !user.has(m.destination),
  );
  return [...base, ...binds];
}
