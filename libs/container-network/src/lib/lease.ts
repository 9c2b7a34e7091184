import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniNetworkList } from './cni';

interface BridgePluginConf {
  readonly ipam?: { readonly dataDir?: string; readonly ranges?: { subnet?: string }[][] };
}

/**
 * leasedResult rebuilds the part of a CNI result that DEL needs when a crash came between ADD and
 * recording its result: host-local's lease files (`<dataDir>/<network>/<ip>`, first line the
 * container id) say which address the container got. Without it the firewall plugin's DEL has no
 * address and would leave its FORWARD rules behind. Undefined when no lease exists.
 */
export async function leasedResult(
  list: CniNetworkList,
  containerId: string,
  ifName: string,
  netnsPath: string,
): Promise<unknown> {
  const bridge = list.plugins[0] as BridgePluginConf | undefined;
  const dataDir = bridge?.ipam?.dataDir;
  const prefix = bridge?.ipam?.ranges?.[0]?.[0]?.subnet?.split('/')[1];
  if (!dataDir || !prefix) return undefined;
  const dir = join(dataDir, list.name);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(name)) continue;
    const owner = (await readFile(join(dir, name), 'utf8').catch(() => ''))
      .split(/\r?\n/)[0]
      ?.trim();
    if (owner !== containerId) continue;
    return {
      cniVersion: list.cniVersion,
      interfaces: [{ name: ifName, sandbox: netnsPath }],
      ips: [{ interface: 0, address: `${name}/${prefix}` }],
    };
  }
  return undefined;
}
