import { isAbsolute } from 'node:path';
import { DomainError } from '@stevedore/domain';
import type { PublishedPort } from '../store/container-record';

/** BindSpec is one `-v` entry before volumes are made: a host path or a volume name. */
export interface BindSpec {
  type: 'bind' | 'volume';
  /** Host path (bind) or volume name (volume). */
  source: string;
  destination: string;
  readonly: boolean;
}

/** HostOptions is what the runtime acts on in a create request's `HostConfig`. */
export interface HostOptions {
  networkMode: 'bridge' | 'host' | 'none';
  binds: BindSpec[];
  ports: PublishedPort[];
  autoRemove: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  readonlyRootfs: boolean;
  extraHosts: string[];
  resources: {
    memory?: number;
    memorySwap?: number;
    nanoCpus?: number;
    cpuShares?: number;
    pidsLimit?: number;
  };
}

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** parseHostConfig validates the parts of HostConfig the runtime honours, with dockerd's errors. */
export function parseHostConfig(raw: Record<string, unknown>): HostOptions {
  refuseRestartPolicy(raw['RestartPolicy']);
  return {
    networkMode: networkMode(raw['NetworkMode']),
    binds: stringList(raw['Binds']).map(parseBind),
    ports: parsePortBindings(raw['PortBindings']),
    autoRemove: raw['AutoRemove'] === true,
    privileged: raw['Privileged'] === true,
    capAdd: stringList(raw['CapAdd']),
    capDrop: stringList(raw['CapDrop']),
    readonlyRootfs: raw['ReadonlyRootfs'] === true,
    extraHosts: stringList(raw['ExtraHosts']),
    resources: resources(raw),
  };
}

/** refuseRestartPolicy: nothing restarts containers here, so a policy asking for it is refused. */
function refuseRestartPolicy(value: unknown): void {
  const name = (value as { Name?: unknown } | undefined)?.Name;
  if (name === undefined || name === '' || name === 'no') return;
  throw DomainError.unsupported(
    `restart policy ${String(name)} is not supported by Stevedore: containers restart only when asked`,
  );
}

function networkMode(value: unknown): HostOptions['networkMode'] {
  const mode = typeof value === 'string' && value !== '' ? value : 'default';
  if (mode === 'default' || mode === 'bridge') return 'bridge';
  if (mode === 'host' || mode === 'none') return mode;
  if (mode.startsWith('container:'))
    throw DomainError.unsupported('network mode container:<name> is not supported by Stevedore');
  throw DomainError.notFound(`network ${mode} not found`);
}

/** parseBind reads `src:dst[:opts]` as dockerd's Binds: an absolute src is a host path, else a volume name. */
export function parseBind(spec: string): BindSpec {
  const parts = spec.split(':');
  const invalid = (why: string) =>
    DomainError.invalidArgument(`invalid volume specification: '${spec}'${why}`);
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) throw invalid('');
  const [source, destination, opts = 'rw'] = parts as [string, string, string?];
  const modes = opts.split(',');
  if (
    !modes.every((m) =>
      [
        'ro',
        'rw',
        'z',
        'Z',
        'rprivate',
        'private',
        'rslave',
        'slave',
        'rshared',
        'shared',
        'nocopy',
      ].includes(m),
    )
  )
    throw DomainError.invalidArgument(`invalid mode: ${opts}`);
  const type = isAbsolute(source) ? 'bind' : 'volume';
  if (!isAbsolute(destination))
    throw invalid(
      `: invalid mount config for type "${type}": invalid mount path: '${destination}' mount path must be absolute`,
    );
  if (type === 'volume' && !VOLUME_NAME.test(source))
    throw DomainError.invalidArgument(
      `create ${source}: "${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  if (destination === '/')
    throw invalid(
      `: invalid mount config for type "${type}": invalid specification: destination can't be '/'`,
    );
  return { type, source, destination, readonly: modes.includes('ro') };
}

/** parsePortBindings reads `{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}`. */
export function parsePortBindings(value: unknown): PublishedPort[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object') throw DomainError.invalidArgument('invalid PortBindings');
  const out: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(value as Record<string, unknown>)) {
    const [portText, proto = 'tcp'] = key.split('/');
    const containerPort = port(portText, key);
    if (proto !== 'tcp' && proto !== 'udp')
      throw DomainError.invalidArgument(`invalid proto: ${proto}`);
    for (const b of (Array.isArray(bindings) ? bindings : []) as Record<string, unknown>[]) {
      const hostPortText = typeof b['HostPort'] === 'string' ? b['HostPort'] : '';
      const hostPort = hostPortText === '' ? 0 : port(hostPortText, hostPortText);
      const hostIp = typeof b['HostIp'] === 'string' ? b['HostIp'] : '';
      out.push({ containerPort, protocol: proto, hostIp, hostPort });
    }
  }
  return out;
}

function port(text: string | undefined, shown: string): number {
  const n = Number(text);
  if (!text || !Number.isInteger(n) || n < 1 || n > 65535)
    throw DomainError.invalidArgument(`invalid port specification: "${shown}"`);
  return n;
}

function resources(raw: Record<string, unknown>): HostOptions['resources'] {
  const out: HostOptions['resources'] = {};
  const keys = ['Memory', 'MemorySwap', 'NanoCpus', 'CpuShares', 'PidsLimit'] as const;
  const names = ['memory', 'memorySwap', 'nanoCpus', 'cpuShares', 'pidsLimit'] as const;
  keys.forEach((key, i) => {
    const v = raw[key];
    if (typeof v === 'number' && v !== 0) out[names[i] as keyof HostOptions['resources']] = v;
  });
  return out;
}

function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw DomainError.invalidArgument('expected a list of strings');
}
