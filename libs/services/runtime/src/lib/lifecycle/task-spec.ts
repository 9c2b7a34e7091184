import { join } from 'node:path';
import { parseHostConfig } from '../config/host-config';
import type { ContainerRecord } from '../store/container-record';
import type { TaskSpec } from './runtime-ports';

/** taskSpecOf is the settings a container's task runs with, from its record (dockerd's rules). */
export function taskSpecOf(
  record: ContainerRecord,
  dir: string,
  files: TaskSpec['files'],
): TaskSpec {
  const host = parseHostConfig(record.hostConfig);
  const config = record.config;
  return {
    id: record.id,
    bundle: join(dir, 'bundle'),
    logPath: join(dir, 'container.log'),
    tty: config.Tty,
    openStdin: config.OpenStdin,
    stdinOnce: config.StdinOnce,
    rootfs: join(dir, 'rootfs'),
    readonlyRootfs: host.readonlyRootfs,
    args: [record.path, ...record.args],
    env: envOf(record),
    cwd: config.WorkingDir || '/',
    user: config.User,
    hostname: config.Hostname,
    mounts: record.mounts.map((m) => ({
      source: m.source,
      destination: m.destination,
      readonly: m.readonly,
    })),
    files,
    privileged: host.privileged,
    capAdd: host.capAdd,
    capDrop: host.capDrop,
    resources: host.resources,
    network: networkOf(record),
    labels: config.Labels,
  };
}

/** envOf is the container's environment: HOSTNAME first and TERM for a TTY, as dockerd adds them. */
function envOf(record: ContainerRecord): string[] {
  const env = [`HOSTNAME=${record.config.Hostname}`];
  if (record.config.Tty) env.push('TERM=xterm');
  const own = record.config.Env ?? [];
  const names = new Set(own.map((e) => e.split('=', 1)[0]));
  return [...env.filter((e) => !names.has(e.split('=', 1)[0])), ...own];
}

function networkOf(record: ContainerRecord): TaskSpec['network'] {
  const network = record.network;
  if (network?.mode === 'host') return { mode: 'host' };
  if (network?.netnsPath) return { mode: 'path', path: network.netnsPath };
  return { mode: 'none' };
}
