import { isIP } from 'node:net';

/**
 * isLoopback says whether a peer address is on this machine (127.0.0.0/8, ::1, or either as an
 * IPv4-mapped IPv6 address). An unknown address is not: a socket that lost its peer proves nothing.
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/i, '');
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1' || plain === '0:0:0:0:0:0:0:1';
}
