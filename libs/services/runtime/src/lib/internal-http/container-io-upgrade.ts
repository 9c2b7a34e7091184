import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '@stevedore/domain';
import { UpgradeHandler, bodyOf, statusOf } from '@stevedore/internal-http';
import {
  ContainerIo,
  RUNTIME_HEADERS,
  Session,
  attachOptionsOf,
  execStartOptionsOf,
  routeOf,
} from '@stevedore/runtime-http';

/** sessionOf asks the ContainerIo for the session an upgrade request names. */
async function sessionOf(io: ContainerIo, req: IncomingMessage): Promise<Session> {
  const url = new URL(req.url ?? '/', 'http://runtime');
  const route = req.method === 'POST' ? routeOf(url.pathname) : undefined;
  if (route?.kind === 'attach') return io.attach(route.id, attachOptionsOf(url));
  if (route?.kind === 'exec') return io.execStart(route.id, execStartOptionsOf(url));
  throw DomainError.notFound(`no upgrade route ${req.method} ${url.pathname}`);
}

/**
 * createContainerIoUpgradeHandler serves attach and exec start as HTTP upgrades: the session is
 * asked for first, so a refusal (no such container, not running) is an ordinary `{code, message}`
 * answer; then `101` and the session takes the raw socket until it ends. `track` is told of each
 * live socket, so a stopping server can cut them.
 */
export function createContainerIoUpgradeHandler(
  io: ContainerIo,
  track: (socket: Duplex) => void,
): UpgradeHandler {
  return (req, socket, head) => {
    track(socket);
    // A reset by the caller must not become an uncaught error; 'close' ends the session.
    socket.on('error', () => socket.destroy());
    void sessionOf(io, req).then(
      (session) => run(session, socket, head),
      (err: unknown) => refuse(socket, err),
    );
  };
}

async function run(session: Session, socket: Duplex, head: Buffer): Promise<void> {
  socket.write(
    `HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
      `${RUNTIME_HEADERS.tty}: ${session.tty ? '1' : '0'}\r\n\r\n`,
  );
  if (head.length > 0) socket.unshift(head);
  try {
    await session.run(socket);
  } catch {
    // The session failed mid-stream: closing the connection is the only signal left.
  } finally {
    socket.end();
  }
}

function refuse(socket: Duplex, err: unknown): void {
  const body = bodyOf(err);
  socket.end(
    `HTTP/1.1 ${statusOf(err)} Refused\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
