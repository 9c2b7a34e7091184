import type { OciDeviceRule } from './types';

/** Docker's masked paths (moby oci/defaults.go): bind-mounted over with /dev/null or an empty tmpfs. */
export const MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
];

/** Docker's read-only paths. */
export const READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

const allowChar = (major: number, minor: number): OciDeviceRule => ({
  allow: true,
  type: 'c',
  major,
  minor,
  access: 'rwm',
});

/** The device cgroup rules dockerd 20.10 writes: deny all, allow the standard nodes, deny tun. */
export function deviceRules(privileged: boolean): OciDeviceRule[] {
  if (privileged) return [{ allow: true, access: 'rwm' }];
  return [
    { allow: false, access: 'rwm' },
    allowChar(1, 5),
    allowChar(1, 3),
    allowChar(1, 9),
    allowChar(1, 8),
    allowChar(5, 0),
    allowChar(5, 1),
    { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
  ];
}

/** Docker's default sysctls for a container with its own network namespace. */
export const NETNS_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_unprivileged_port_start': '0',
  'net.ipv4.ping_group_range': '0 2147483647',
};
