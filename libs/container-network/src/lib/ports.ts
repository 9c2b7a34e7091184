import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { DomainError } from '@stevedore/domain';
import { probeBind } from './port-probe';
import type { PortBinding, ResolvedPortBinding } from './types';

/** Endpoint names the container in Docker's port errors. */
export interface Endpoint {
  readonly name: string;
  readonly id: string;
}

/** ANY is how dockerd writes "every address" in messages and in NetworkSettings.Ports. */
const ANY = '0.0.0.0';

/** validatePorts refuses what `-p` cannot mean, before anything is created. */
export function validatePorts(ports: readonly PortBinding[]): void {
  for (const p of ports) {
    const where = `${p.hostIp}:${p.hostPort ?? 0}:${p.containerPort}/${p.protocol}`;
    if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) {
      throw DomainError.invalidArgument(`invalid containerPort: ${p.containerPort}`);
    }
    if (p.protocol !== 'tcp' && p.protocol !== 'udp') {
      throw DomainError.invalidArgument(`invalid proto: ${String(p.protocol)}`);
    }
    const hostPort = p.hostPort ?? 0;
    if (!Number.isInteger(hostPort) || hostPort < 0 || hostPort > 65535) {
      throw DomainError.invalidArgument(`invalid hostPort: ${hostPort}`);
    }
    if (p.hostIp !== '' && !isIPv4(p.hostIp)) {
      throw DomainError.unsupported(
        `publishing on ${p.hostIp} is not supported (IPv4 only): ${where}`,
      );
    }
  }
}

/** ephemeralRange is the kernel's range, which dockerd also draws host ports from. */
export async function ephemeralRange(): Promise<[number, number]> {
  const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
  const [lo, hi] = text.trim().split(/\s+/).map(Number);
  // dockerd's own fallback when /proc cannot be read.
  return lo && hi && lo <= hi ? [lo, hi] : [49153, 65535];
}

function overlaps(a: ResolvedPortBinding, hostIp: string, protocol: string, port: number): boolean {
  return (
    a.protocol === protocol &&
    a.hostPort === port &&
    (a.hostIp === hostIp || a.hostIp === ANY || hostIp === ANY)
  );
}

function failure(endpoint: Endpoint, cause: string): DomainError {
  return DomainError.conflict(
    `driver failed programming external connectivity on endpoint ${endpoint.name} (${endpoint.id}): ${cause}`,
  );
}

/**
 * resolvePorts picks the host port of every binding the way dockerd does. A port that another
 * attachment of ours holds on the same address is dockerd's allocator refusal ("Bind for
 * 0.0.0.0:8080 failed: port is already allocated"); one that overlaps ours through 0.0.0.0, or that
 * another program has bound, is what dockerd's userland proxy reports ("Error starting userland
 * proxy: listen tcp4 …: bind: address already in use"). Port 0 takes the first free port of the
 * ephemeral range.
 */
export async function resolvePorts(
  ports: readonly PortBinding[],
  taken: readonly ResolvedPortBinding[],
  endpoint: Endpoint,
): Promise<ResolvedPortBinding[]> {
  const held = [...taken];
  const resolved: ResolvedPortBinding[] = [];
  for (const p of ports) {
    const hostIp = p.hostIp === '' ? ANY : p.hostIp;
    const hostPort = p.hostPort
      ? await claim(p, hostIp, held, endpoint)
      : await pick(p, hostIp, held, endpoint);
    const binding: ResolvedPortBinding = {
      containerPort: p.containerPort,
      protocol: p.protocol,
      hostIp,
      hostPort,
    };
    held.push(binding);
    resolved.push(binding);
  }
  return resolved;
}

async function claim(
  p: PortBinding,
  hostIp: string,
  held: ResolvedPortBinding[],
  ep: Endpoint,
): Promise<number> {
  const port = p.hostPort ?? 0;
  if (held.some((h) => h.protocol === p.protocol && h.hostPort === port && h.hostIp === hostIp)) {
    throw failure(ep, `Bind for ${hostIp}:${port} failed: port is already allocated`);
  }
  const busy = held.some((h) => overlaps(h, hostIp, p.protocol, port))
    ? 'bind: address already in use'
    : await probeBind(p.protocol, hostIp, port);
  if (busy !== undefined) {
    throw failure(
      ep,
      `Error starting userland proxy: listen ${p.protocol}4 ${hostIp}:${port}: ${busy}`,
    );
  }
  return port;
}

async function pick(
  p: PortBinding,
  hostIp: string,
  held: ResolvedPortBinding[],
  ep: Endpoint,
): Promise<number> {
  const [lo, hi] = await ephemeralRange();
  for (let port = lo; port <= hi; port++) {
    if (held.some((h) => overlaps(h, hostIp, p.protocol, port))) continue;
    if ((await probeBind(p.protocol, hostIp, port)) === undefined) return port;
  }
  // dockerd's ErrAllPortsAllocated text.
  throw failure(ep, 'all ports are allocated');
}
