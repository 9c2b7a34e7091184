import { IncomingMessage, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { asPeerUnavailable, errorFromResponse } from '@stevedore/internal-http';
import type { Session } from './container-io.port';
import { RUNTIME_HEADERS } from './protocol';

/** The largest error body read from a runtime that refused an upgrade. */
const MAX_ERROR_BYTES = 64 * 1024;

export const PEER = 'runtime';

/**
 * upgradeTo asks the runtime at `base` to turn a POST into a raw connection (HTTP Upgrade, as
 * dockerd's hijack does). It resolves with the socket once the runtime answered 101, and rejects
 * with the runtime's own DomainError when it answered anything else, so the gateway can still
 * answer that as JSON. Plain node:http, no pool: an upgraded connection is never reused.
 */
export function upgradeTo(
  base: URL,
  path: string,
  token: string,
): Promise<{ socket: Socket; tty: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: 'POST',
      path,
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        connection: 'Upgrade',
        upgrade: 'tcp',
        'content-length': '0',
      },
    });
    req.once('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      if (head.length > 0) socket.unshift(head);
      resolve({ socket, tty: res.headers[RUNTIME_HEADERS.tty] === '1' });
    });
    req.once('response', (res: IncomingMessage) => {
      void refusal(res).then(reject, reject);
    });
    req.once('error', (err) => reject(asPeerUnavailable(err, PEER)));
    req.end();
  });
}

/** refusal reads a runtime's error answer (bounded) back into its DomainError. */
async function refusal(res: IncomingMessage): Promise<never> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_ERROR_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  throw errorFromResponse(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8'), PEER);
}

/**
 * relaySession is a Session that joins the caller's connection to the runtime's upgraded socket:
 * bytes both ways, a half-close (stdin's end) passed on, and either side closing ends both.
 */
export function relaySession(socket: Socket, tty: boolean): Session {
  // Until the session runs (and after), a reset must not become an uncaught error.
  socket.on('error', () => socket.destroy());
  return {
    tty,
    run: (conn: Duplex) =>
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        conn.once('close', () => socket.destroy());
        conn.once('error', () => socket.destroy());
        conn.pipe(socket);
        socket.pipe(conn);
        if (socket.destroyed) resolve();
      }),
  };
}
