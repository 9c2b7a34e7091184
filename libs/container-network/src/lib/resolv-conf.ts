/**
 * Docker 20.10's resolv.conf filtering (libnetwork/resolvconf), ported with its regular
 * expressions so the same host file gives the same container file.
 */

const ipv4Block = '(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)';
const ipv4Address = `(${ipv4Block}\\.){3}${ipv4Block}`;
// A superset of IPv6 on purpose, as in libnetwork: it only has to recognise nameserver lines.
const ipv6Address = '([0-9A-Fa-f]{0,4}:){2,7}([0-9A-Fa-f]{0,4})(%\\w+)?';
const ipLocalhost = '((127\\.([0-9]{1,3}\\.){2}[0-9]{1,3})|(::1)$)';

const localhostNs = new RegExp(`^nameserver\\s+${ipLocalhost}\\s*\\n*`, 'gm');
const ipv6Ns = new RegExp(`^nameserver\\s+${ipv6Address}\\s*\\n*`, 'gm');
const anyNs = new RegExp(`^\\s*nameserver\\s*((${ipv4Address})|(${ipv6Address}))\\s*$`);

/** Google's resolvers, dockerd's fallback; written into the file only, never contacted here. */
const DEFAULT_IPV4_DNS = ['nameserver 8.8.8.8', 'nameserver 8.8.4.4'];
const DEFAULT_IPV6_DNS = ['nameserver 2001:4860:4860::8888', 'nameserver 2001:4860:4860::8844'];

/** nameservers lists the nameserver addresses of a resolv.conf, comments stripped. */
export function nameservers(content: string): string[] {
  const found: string[] = [];
  for (const raw of content.split('\n')) {
    const hash = raw.indexOf('#');
    const line = hash === -1 ? raw : raw.slice(0, hash);
    const m = anyNs.exec(line);
    if (m?.[1]) found.push(m[1]);
  }
  return found;
}

/**
 * filterResolvDns is libnetwork's FilterResolvDNS: drop localhost nameservers (they would point
 * into the container's own namespace), drop IPv6 ones when IPv6 is off, and when none is left
 * append Google's public resolvers.
 */
export function filterResolvDns(content: string, ipv6Enabled: boolean): string {
  let cleaned = content.replace(localhostNs, '');
  if (!ipv6Enabled) cleaned = cleaned.replace(ipv6Ns, '');
  if (nameservers(cleaned).length === 0) {
    const dns = ipv6Enabled ? [...DEFAULT_IPV4_DNS, ...DEFAULT_IPV6_DNS] : DEFAULT_IPV4_DNS;
    cleaned += `\n${dns.join('\n')}`;
  }
  return cleaned;
}

/**
 * containerResolvConf is what a container outside the host namespace gets on a network without
 * IPv6 (Docker's default bridge, and none): dockerd filters once at sandbox creation with IPv6
 * assumed on, then again when the endpoint joins with IPv6 off.
 */
export function containerResolvConf(hostContent: string): string {
  return filterResolvDns(filterResolvDns(hostContent, true), false);
}

/** SYSTEMD_RESOLVED_STUB is the address systemd-resolved puts in /etc/resolv.conf. */
export const SYSTEMD_RESOLVED_STUB = '127.0.0.53';

/** usesResolvedStub tells dockerd's rule for reading /run/systemd/resolve/resolv.conf instead. */
export function usesResolvedStub(content: string): boolean {
  const ns = nameservers(content);
  return ns.length === 1 && ns[0] === SYSTEMD_RESOLVED_STUB;
}
