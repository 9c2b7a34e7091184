import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { run } from './exec';
import type { ResolvedPortBinding } from './types';

/** CNI_VERSION is the spec version of the configs we write; Debian's plugins 1.1 speak it. */
export const CNI_VERSION = '1.0.0';

/** CniNetworkList is a conflist: one network name, the plugins chained in order. */
export interface CniNetworkList {
  readonly cniVersion: string;
  readonly name: string;
  readonly plugins: readonly Record<string, unknown>[];
}

/** BridgeNetwork are the knobs of the conflist Docker's default bridge translates to. */
export interface BridgeNetwork {
  readonly name: string;
  readonly bridge: string;
  readonly subnet: string;
  readonly ipamDir: string;
}

/**
 * bridgeConflist is Docker's default network in CNI terms: a bridge that is the gateway and
 * masquerades outbound traffic, host-local IPAM on the subnet (state under ipamDir, so a restart
 * keeps the leases), portmap for `-p` (snat so connections from 127.0.0.1 and hairpin ones come
 * back through the host) and firewall so a FORWARD policy of DROP does not cut the container off.
 */
export function bridgeConflist(net: BridgeNetwork): CniNetworkList {
  return {
    cniVersion: CNI_VERSION,
    name: net.name,
    plugins: [
      {
        type: 'bridge',
        bridge: net.bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: net.subnet }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: net.ipamDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
      { type: 'firewall', backend: 'iptables' },
    ],
  };
}

/** CniCall names the container and namespace a chain runs for. */
export interface CniCall {
  readonly cniPath: string;
  readonly containerId: string;
  readonly netnsPath: string;
  readonly ifName: string;
  readonly ports: readonly ResolvedPortBinding[];
}

type Command = 'ADD' | 'DEL';

/** pluginConfig is one link of the chain as libcni hands it over: name, version, runtime config, prevResult. */
function pluginConfig(
  list: CniNetworkList,
  plugin: Record<string, unknown>,
  call: CniCall,
  prevResult: unknown,
): string {
  const conf: Record<string, unknown> = { ...plugin, name: list.name, cniVersion: list.cniVersion };
  const caps = plugin['capabilities'] as Record<string, boolean> | undefined;
  if (caps?.['portMappings']) {
    const portMappings = call.ports.map((p) => ({
      hostPort: p.hostPort,
      containerPort: p.containerPort,
      protocol: p.protocol,
      hostIP: p.hostIp,
    }));
    conf['runtimeConfig'] = { portMappings };
  }
  if (prevResult !== undefined) conf['prevResult'] = prevResult;
  return JSON.stringify(conf);
}

/** invokePlugin runs one plugin binary; a failure carries the plugin's own message (CNI error JSON). */
async function invokePlugin(
  command: Command,
  type: string,
  stdin: string,
  call: CniCall,
): Promise<unknown> {
  const res = await run(join(call.cniPath, type), [], {
    stdin,
    env: {
      CNI_COMMAND: command,
      CNI_CONTAINERID: call.containerId,
      CNI_NETNS: call.netnsPath,
      CNI_IFNAME: call.ifName,
      CNI_PATH: call.cniPath,
    },
  });
  if (res.ok) return res.stdout.trim() === '' ? undefined : JSON.parse(res.stdout);
  if (res.missing)
    throw DomainError.unsupported(`CNI plugin ${type} is not installed in ${call.cniPath}`);
  throw DomainError.internal(
    `CNI plugin ${type} ${command} failed: ${pluginMessage(res.stdout, res.stderr)}`,
  );
}

function pluginMessage(stdout: string, stderr: string): string {
  try {
    const err = JSON.parse(stdout) as { msg?: string; details?: string };
    return [err.msg, err.details].filter(Boolean).join(': ') || stderr;
  } catch {
    return stderr || stdout.trim() || 'no output';
  }
}

/** cniAdd runs ADD along the chain and returns the last result; on failure it undoes what it did. */
export async function cniAdd(list: CniNetworkList, call: CniCall): Promise<unknown> {
  let prev: unknown = undefined;
  try {
    for (const plugin of list.plugins) {
      prev = await invokePlugin(
        'ADD',
        String(plugin['type']),
        pluginConfig(list, plugin, call, prev),
        call,
      );
    }
    return prev;
  } catch (e) {
    // Release the address and rules an earlier link set up; its own errors would hide the cause.
    await cniDel(list, call, prev).catch(() => undefined);
    throw e;
  }
}

/** cniDel runs DEL in reverse order with the cached result, as libcni does, and throws the first failure. */
export async function cniDel(
  list: CniNetworkList,
  call: CniCall,
  prevResult: unknown,
): Promise<void> {
  let first: unknown = undefined;
  for (const plugin of [...list.plugins].reverse()) {
    const conf = pluginConfig(list, plugin, call, prevResult);
    // Every link gets its DEL even when one fails, so one stuck rule does not leak the address.
    await invokePlugin('DEL', String(plugin['type']), conf, call).catch(
      (e: unknown) => (first ??= e),
    );
  }
  if (first !== undefined) throw first;
}

/** loopbackUp brings `lo` up in the namespace: runc only does that for namespaces it creates. */
export async function loopbackUp(call: CniCall): Promise<void> {
  const conf = JSON.stringify({ cniVersion: CNI_VERSION, name: 'lo', type: 'loopback' });
  await invokePlugin('ADD', 'loopback', conf, { ...call, ifName: 'lo', ports: [] });
}
