import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';

/**
 * The range freePort draws from lies below the kernel's ephemeral range on purpose: a port
 * found free by binding port 0 lies inside that range, and between its release and the
 * service's bind any outbound connection (to RabbitMQ, to a registry) may take it as its
 * local port, which CI saw as EADDRINUSE. Ports below the range are never picked that way.
 */
const FLOOR = 10000;

function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) && start > FLOOR + 1000 ? start : 32768;
  } catch {
    return 32768;
  }
}

const ceiling = ephemeralStart();
// Each process starts at its own random offset and walks up, so two jest workers rarely probe
// the same port and one process never hands out a port twice.
let next = FLOOR + Math.floor(Math.random() * (ceiling - FLOOR));

/** freePort returns a 127.0.0.1 port that was free a moment ago, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = next;
    next = next + 1 >= ceiling ? FLOOR : next + 1;
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port found in ${FLOOR}-${ceiling - 1}`);
}

function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** listen binds a net/http server to 127.0.0.1 on a kernel-chosen port. */
export function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** boundPort returns the TCP port a listening server is bound to. */
export function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('server is not listening on TCP');
  return address.port;
}

/** closeServer stops accepting connections and resolves when the server closed (idempotent). */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
