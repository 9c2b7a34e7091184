import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { requireInternalToken } from './internal-token';

/** Where an internal endpoint listens. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** An internal endpoint: where it listens and the token its callers must present. */
export interface InternalEndpoint extends ListenAddress {
  token: string;
}

/**
 * listenInternal serves `handler` on `endpoint` to the callers that present its token, with no
 * request timeout: blobs and archives may stream for a long time. Resolves once it listens;
 * rejects when the address is taken.
 */
export async function listenInternal(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  endpoint: InternalEndpoint,
): Promise<Server> {
  const server = createServer(requireInternalToken(handler, endpoint.token));
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint.port, endpoint.host, resolve);
  });
  return server;
}

/** closeInternal stops an internal endpoint, cutting the streams still open. */
export async function closeInternal(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
