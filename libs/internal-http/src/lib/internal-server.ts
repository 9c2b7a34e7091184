import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { isInternalToken, requireInternalToken } from './internal-token';

/** An HTTP Upgrade handler: the request, its socket and the bytes read past its head. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

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
 * request timeout: blobs and archives may stream for a long time. `upgrade` serves HTTP Upgrade
 * requests (the runtime's attach and exec), behind the same token. Resolves once it listens;
 * rejects when the address is taken.
 */
export async function listenInternal(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  endpoint: InternalEndpoint,
  upgrade?: UpgradeHandler,
): Promise<Server> {
  const server = createServer(requireInternalToken(handler, endpoint.token));
  server.requestTimeout = 0;
  if (upgrade) server.on('upgrade', requireUpgradeToken(upgrade, endpoint.token));
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

/** requireUpgradeToken is requireInternalToken for upgrades: a bad token gets 401 and the socket closed. */
function requireUpgradeToken(upgrade: UpgradeHandler, token: string): UpgradeHandler {
  return (req, socket, head) => {
    if (isInternalToken(req.headers.authorization, token)) return upgrade(req, socket, head);
    const body = JSON.stringify({ code: 'UNAUTHORIZED', message: 'internal endpoint: bad token' });
    socket.end(
      `HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  };
}
