import type { Request, Response } from 'express';
import { Duplex } from 'node:stream';
import type { Session } from '@stevedore/runtime-http';
import { ENGINE_HEADERS } from '../../engine/engine-api';
import { isUpgraded } from './upgrade-dispatch';

function upgradeHead(contentType: string): string {
  const extra = Object.entries(ENGINE_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`);
  return (
    `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\n` +
    `Upgrade: tcp\r\n${extra.join('')}\r\n`
  );
}

/**
 * takeOver answers a hijack request that the runtime agreed to serve, as dockerd does: with
 * `Upgrade`, `101 UPGRADED` and then raw bytes both ways on the socket; without, `200` and the
 * stream as the response body (stdin is the request body). Called only once the session exists,
 * so every refusal before it was an ordinary JSON error.
 */
export function takeOver(req: Request, res: Response, contentType: string): Duplex {
  if (isUpgraded(req)) {
    const socket = req.socket;
    socket.write(upgradeHead(contentType));
    // Paused while the body was read: the session's first reader (a pipe, 'data') starts the flow.
    (socket as { readableFlowing: boolean | null }).readableFlowing = null;
    return socket;
  }
  res.status(200).setHeader('Content-Type', contentType);
  res.flushHeaders();
  return Duplex.from({ readable: req, writable: res });
}

/** runSession hands the connection to `session` and closes it when the session ends or fails. */
export async function runSession(
  session: Session,
  req: Request,
  res: Response,
  contentType: string,
): Promise<void> {
  const conn = takeOver(req, res, contentType);
  try {
    await session.run(conn);
  } finally {
    if (isUpgraded(req)) req.socket.end();
    else if (!res.writableEnded) res.end();
  }
}
