import { join } from 'node:path';
import type { ContainerJsonV1, PortBindingV1 } from '@stevedore/contracts';
import type { ContainerRecord, NetworkRecord, PublishedPort } from '../store/container-record';

/** containerJsonOf is dockerd's container inspect of a record (`dir` is the container's directory). */
export function containerJsonOf(record: ContainerRecord, dir: string): ContainerJsonV1 {
  return {
    Id: record.id,
    Created: record.created,
    Path: record.path,
    Args: record.args,
    State: record.state,
    Image: record.imageId,
    ResolvConfPath: join(dir, 'resolv.conf'),
    HostnamePath: join(dir, 'hostname'),
    HostsPath: join(dir, 'hosts'),
    LogPath: join(dir, 'container.log'),
    Name: `/${record.name}`,
    RestartCount: record.restartCount,
    Driver: record.rootfsMode === 'overlay' ? 'overlay2' : 'vfs',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: record.hostConfig,
    GraphDriver: graphDriverOf(record, dir),
    Mounts: record.mounts.map((m) => ({
      Type: m.type,
      ...(m.name ? { Name: m.name } : {}),
      Source: m.source,
      Destination: m.destination,
      Driver: m.type === 'volume' ? 'local' : undefined,
      Mode: '',
      RW: !m.readonly,
      Propagation: m.type === 'bind' ? 'rprivate' : '',
    })),
    Config: { ...record.config },
    NetworkSettings: networkSettingsOf(record),
  };
}

function graphDriverOf(record: ContainerRecord, dir: string): ContainerJsonV1['GraphDriver'] {
  if (record.rootfsMode !== 'overlay') return { Name: 'vfs', Data: null };
  return {
    Name: 'overlay2',
    Data: {
      MergedDir: join(dir, 'rootfs'),
      UpperDir: join(dir, 'upper'),
      WorkDir: join(dir, 'work'),
    },
  };
}

/** portsOf is `NetworkSettings.Ports`: every exposed port, with its host bindings or null. */
export function portsOf(record: ContainerRecord): Record<string, PortBindingV1[] | null> {
  const out: Record<string, PortBindingV1[] | null> = {};
  for (const key of Object.keys(record.config.ExposedPorts ?? {})) out[key] = null;
  if (!record.state.Running) return {};
  for (const p of boundPorts(record)) {
    const key = `${p.containerPort}/${p.protocol}`;
    out[key] = [
      ...(out[key] ?? []),
      { HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) },
    ];
  }
  return out;
}

function boundPorts(record: ContainerRecord): PublishedPort[] {
  return record.network?.ports ?? [];
}

function networkSettingsOf(record: ContainerRecord): Record<string, unknown> {
  const net: NetworkRecord | undefined = record.state.Running ? record.network : undefined;
  const mode = String(record.hostConfig['NetworkMode'] ?? 'default');
  const name = mode === 'default' ? 'bridge' : mode;
  const endpoint = {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    NetworkID: '',
    EndpointID: '',
    Gateway: net?.gateway ?? '',
    IPAddress: net?.ipAddress ?? '',
    IPPrefixLen: net?.ipPrefixLen ?? 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: net?.macAddress ?? '',
    DriverOpts: null,
  };
  return {
    Bridge: '',
    SandboxID: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: portsOf(record),
    SandboxKey: net?.netnsPath ?? '',
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: '',
    Gateway: name === 'bridge' ? endpoint.Gateway : '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: name === 'bridge' ? endpoint.IPAddress : '',
    IPPrefixLen: name === 'bridge' ? endpoint.IPPrefixLen : 0,
    IPv6Gateway: '',
    MacAddress: name === 'bridge' ? endpoint.MacAddress : '',
    Networks: { [name]: endpoint },
  };
}
