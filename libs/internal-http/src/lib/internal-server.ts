import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';

/** Where an internal endpoint listens. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * listenInternal serves `handler` on `address`, with no request timeout: blobs and archives may
 * stream for a long time. Resolves once it listens; rejects when the address is taken.
 */
export async function listenInternal(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  address: ListenAddress,
): Promise<Server> {
  const server = createServer(handler);
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, resolve);
  });
  return server;
}

/** closeInternal stops an internal endpoint, cutting the streams still open. */
export async function closeInternal(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
