import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { containerResolvConf, usesResolvedStub } from './resolv-conf';
import type { HostsFilesOptions, HostsFilesPaths } from './types';

/** HostEtc is where the host's own files are read from (a test points it elsewhere). */
export interface HostEtc {
  readonly hosts: string;
  readonly resolvConf: string;
  /** systemd-resolved's real upstream list, used when resolvConf only names its stub. */
  readonly resolvedResolvConf: string;
}

/** HOST_ETC are the host's files dockerd reads. */
export const HOST_ETC: HostEtc = {
  hosts: '/etc/hosts',
  resolvConf: '/etc/resolv.conf',
  resolvedResolvConf: '/run/systemd/resolve/resolv.conf',
};

/** libnetwork's default /etc/hosts records, in its order and with its tab. */
const DEFAULT_HOSTS: readonly (readonly [string, string])[] = [
  ['127.0.0.1', 'localhost'],
  ['::1', 'localhost ip6-localhost ip6-loopback'],
  ['fe00::0', 'ip6-localnet'],
  ['ff00::0', 'ip6-mcastprefix'],
  ['ff02::1', 'ip6-allnodes'],
  ['ff02::2', 'ip6-allrouters'],
];

/** parseExtraHost splits `--add-host name:ip` at the first colon, so IPv6 addresses keep theirs. */
function parseExtraHost(entry: string): readonly [string, string] {
  const at = entry.indexOf(':');
  const name = entry.slice(0, at);
  const ip = entry.slice(at + 1).replace(/^\[(.*)\]$/, '$1');
  if (at <= 0 || /\s/.test(name) || isIP(ip) === 0) {
    throw DomainError.invalidArgument(
      `invalid argument "${entry}" for "--add-host" flag: invalid IP address`,
    );
  }
  return [ip, name];
}

/**
 * hostsContent is the file libnetwork builds: its defaults, the --add-host records, and last (as
 * the endpoint join appends it) `<ip>\t<fqdn> <short>` when the container has an address.
 */
export function hostsContent(opts: HostsFilesOptions): string {
  const records = [...DEFAULT_HOSTS, ...(opts.extraHosts ?? []).map(parseExtraHost)];
  if (opts.ipAddress) {
    const fqdn = opts.domainname ? `${opts.hostname}.${opts.domainname}` : opts.hostname;
    const dot = fqdn.indexOf('.');
    records.push([opts.ipAddress, dot > 0 ? `${fqdn} ${fqdn.slice(0, dot)}` : fqdn]);
  }
  return records.map(([ip, names]) => `${ip}\t${names}\n`).join('');
}

/** resolvConfContent is the host's file as is in host mode, filtered like dockerd's otherwise. */
export async function resolvConfContent(
  mode: HostsFilesOptions['mode'],
  etc: HostEtc,
): Promise<string> {
  let content = await readFile(etc.resolvConf, 'utf8').catch(() => '');
  if (mode === 'host') return content;
  if (usesResolvedStub(content))
    content = await readFile(etc.resolvedResolvConf, 'utf8').catch(() => content);
  return containerResolvConf(content);
}

/**
 * writeEtcFiles writes hosts, hostname and resolv.conf into containerDir, each atomically, the way
 * dockerd prepares them for bind mounts. Host mode copies the host's hosts file unless --add-host
 * entries were given (then libnetwork builds its own without an address line), as dockerd does.
 */
export async function writeEtcFiles(
  containerDir: string,
  opts: HostsFilesOptions,
  etc: HostEtc = HOST_ETC,
): Promise<HostsFilesPaths> {
  if (opts.hostname === '' || /[\s/]/.test(opts.hostname) || /\s/.test(opts.domainname ?? '')) {
    throw DomainError.invalidArgument(`invalid hostname: "${opts.hostname}"`);
  }
  const copyHostHosts = opts.mode === 'host' && (opts.extraHosts ?? []).length === 0;
  const hosts = copyHostHosts
    ? await readFile(etc.hosts, 'utf8').catch(() => '')
    : hostsContent(opts);
  const paths: HostsFilesPaths = {
    hostsPath: join(containerDir, 'hosts'),
    hostnamePath: join(containerDir, 'hostname'),
    resolvConfPath: join(containerDir, 'resolv.conf'),
  };
  await mkdir(containerDir, { recursive: true });
  await writeAtomic(paths.hostsPath, hosts);
  await writeAtomic(paths.hostnamePath, `${opts.hostname}\n`);
  await writeAtomic(paths.resolvConfPath, await resolvConfContent(opts.mode, etc));
  return paths;
}

async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}
