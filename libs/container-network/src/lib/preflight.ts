import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { isRoot, run } from './exec';
import { createNetns, removeNetns } from './netns';
import type { Preflight } from './types';

/** REQUIRED_PLUGINS are the CNI binaries the bridge conflist and the loopback setup run. */
export const REQUIRED_PLUGINS = [
  'bridge',
  'host-local',
  'portmap',
  'firewall',
  'loopback',
] as const;

/** PreflightTarget is where the checks look. */
export interface PreflightTarget {
  readonly cniPath: string;
  readonly netnsDir: string;
}

/**
 * checkBridge answers whether bridge mode can work here, naming the first thing that fails: root
 * (namespaces, bridges, iptables all need it), a working iptables (the nat table, which portmap and
 * ipMasq write), the CNI plugins, and a namespace that can be created and removed again.
 */
export async function checkBridge(target: PreflightTarget): Promise<Preflight> {
  if (!isRoot()) {
    return {
      bridge: false,
      reason: `bridge networking needs root; running as uid ${process.getuid?.() ?? '?'}`,
    };
  }
  const reason =
    (await iptablesProblem()) ??
    (await pluginProblem(target.cniPath)) ??
    (await netnsProblem(target));
  return reason === undefined ? { bridge: true } : { bridge: false, reason };
}

async function iptablesProblem(): Promise<string | undefined> {
  const res = await run('iptables', ['-w', '-t', 'nat', '-L', 'POSTROUTING', '-n']);
  if (res.missing) return 'iptables is not installed';
  return res.ok ? undefined : `iptables does not work here: ${res.stderr || 'no output'}`;
}

async function pluginProblem(cniPath: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (const plugin of REQUIRED_PLUGINS) {
    await access(join(cniPath, plugin), constants.X_OK).catch(() => missing.push(plugin));
  }
  if (missing.length === 0) return undefined;
  return `CNI plugins missing from ${cniPath}: ${missing.join(', ')} (Debian: containernetworking-plugins)`;
}

async function netnsProblem(target: PreflightTarget): Promise<string | undefined> {
  try {
    const path = await createNetns(target.netnsDir, `stevedore-preflight-${process.pid}`);
    await removeNetns(path);
    return undefined;
  } catch (e) {
    return `cannot create network namespaces: ${(e as Error).message}`;
  }
}
