import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { PortProtocol } from './types';

/** Go's text for the errno a bind can fail with, so our messages read like dockerd's. */
const errnoText: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

/**
 * probeBind tries to bind ip:port and lets go at once. It returns undefined when the port is free,
 * else the reason in Go's words (`bind: address already in use`). It cannot reserve the port:
 * portmap's DNAT holds no socket, so only our own records guard a port between two attaches.
 */
export function probeBind(
  protocol: PortProtocol,
  ip: string,
  port: number,
): Promise<string | undefined> {
  return protocol === 'tcp' ? probeTcp(ip, port) : probeUdp(ip, port);
}

function describe(e: NodeJS.ErrnoException): string {
  return `bind: ${errnoText[e.code ?? ''] ?? e.message}`;
}

function probeTcp(ip: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(describe(e)));
    server.listen({ host: ip, port, exclusive: true }, () =>
      server.close(() => resolve(undefined)),
    );
  });
}

function probeUdp(ip: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.close();
      resolve(describe(e));
    });
    socket.bind({ address: ip, port, exclusive: true }, () =>
      socket.close(() => resolve(undefined)),
    );
  });
}
