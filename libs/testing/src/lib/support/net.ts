import { createServer, Server } from 'node:net';

/** freePort asks the kernel for a free 127.0.0.1 port by binding port 0 and releasing it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const port = boundPort(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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
