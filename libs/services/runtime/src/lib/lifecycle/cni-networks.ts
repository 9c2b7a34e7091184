import { ContainerNetworks } from '@stevedore/container-network';
import type { NetworkRecord, PublishedPort } from '../store/container-record';
import type { Networks } from './runtime-ports';

/** CniNetworks is the {@link Networks} port on `@stevedore/container-network` (CNI bridge, host, none). */
export class CniNetworks implements Networks {
  constructor(readonly networks: ContainerNetworks) {}

  async attach(
    id: string,
    options: { mode: 'bridge' | 'host' | 'none'; ports: PublishedPort[]; name: string },
  ): Promise<NetworkRecord> {
    const ports = options.mode === 'bridge' ? options.ports : [];
    const a = await this.networks.attach(id, { mode: options.mode, ports, name: options.name });
    return {
      mode: options.mode,
      ...(a.netnsPath ? { netnsPath: a.netnsPath } : {}),
      ipAddress: a.ipAddress,
      ipPrefixLen: a.ipPrefixLen,
      gateway: a.gateway,
      macAddress: a.macAddress,
      ports: a.ports.map((p) => ({ ...p, hostIp: p.hostIp || '0.0.0.0' })),
    };
  }

  detach(id: string): Promise<void> {
    return this.networks.detach(id);
  }

  async modes(): Promise<('bridge' | 'host' | 'none')[]> {
    const preflight = await this.networks.preflight();
    return preflight.bridge ? ['bridge', 'host', 'none'] : ['host', 'none'];
  }

  async writeHostsFiles(
    dir: string,
    options: { hostname: string; domainname: string; network: NetworkRecord; extraHosts: string[] },
  ): Promise<{ hosts: string; hostname: string; resolvConf: string }> {
    const mode = options.network.mode as 'bridge' | 'host' | 'none';
    const paths = await this.networks.hostsFiles(dir, {
      hostname: options.hostname,
      domainname: options.domainname,
      ...(options.network.ipAddress ? { ipAddress: options.network.ipAddress } : {}),
      extraHosts: options.extraHosts,
      mode,
    });
    return {
      hosts: paths.hostsPath,
      hostname: paths.hostnamePath,
      resolvConf: paths.resolvConfPath,
    };
  }
}
