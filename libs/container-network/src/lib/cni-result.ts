import { DomainError } from '@stevedore/domain';

/** EndpointAddress is the part of a CNI result docker inspect shows. */
export interface EndpointAddress {
  readonly ipAddress: string;
  readonly ipPrefixLen: number;
  readonly gateway: string;
  readonly macAddress: string;
}

interface CniInterface {
  readonly name?: string;
  readonly mac?: string;
  readonly sandbox?: string;
}

interface CniIp {
  readonly interface?: number;
  readonly address?: string;
  readonly gateway?: string;
}

/**
 * parseCniResult picks the container side of a 1.0 result: the interface that has a sandbox and is
 * named ifName, and its first IPv4 address. A result without one is a plugin bug, not user input.
 */
export function parseCniResult(result: unknown, ifName: string): EndpointAddress {
  const r = (result ?? {}) as { interfaces?: CniInterface[]; ips?: CniIp[] };
  const interfaces = r.interfaces ?? [];
  const index = interfaces.findIndex((i) => i.sandbox !== undefined && i.name === ifName);
  const ip = (r.ips ?? []).find((a) => a.interface === index && a.address?.includes('.'));
  if (index < 0 || ip?.address === undefined) {
    throw DomainError.internal(`the CNI result has no IPv4 address on ${ifName}`);
  }
  const [address, prefix] = ip.address.split('/');
  return {
    ipAddress: address ?? '',
    ipPrefixLen: Number(prefix),
    gateway: ip.gateway ?? '',
    macAddress: interfaces[index]?.mac ?? '',
  };
}
