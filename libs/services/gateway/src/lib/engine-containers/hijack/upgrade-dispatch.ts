import { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { MAX_BODY_BYTES } from '../../engine/json-body';

/** Marks a request that arrived with `Upgrade` and whose connection a route may take over. */
const UPGRADED = Symbol('upgraded');

type Upgradable = IncomingMessage & { [UPGRADED]?: boolean };

/** isUpgraded says whether `req` came through the upgrade dispatch (`Connection: Upgrade`). */
export function isUpgraded(req: IncomingMessage): boolean {
  return (req as Upgradable)[UPGRADED] === true;
}

/**
 * readBody takes a request body of `length` bytes from what the parser read past the headers
 * (`head`) and then the socket; bytes past it (a client that did not wait for the 101) go back.
 */
function readBody(socket: Duplex, head: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let body = head;
    const done = () => {
      socket.off('data', onData).off('error', reject).off('end', onEnd);
      socket.pause();
      if (body.length > length) socket.unshift(body.subarray(length));
      resolve(body.subarray(0, length));
    };
    const onData = (chunk: Buffer) => {
      body = Buffer.concat([body, chunk]);
      if (body.length >= length) done();
    };
    const onEnd = () => reject(new Error('connection closed before the request body'));
    if (body.length >= length) return done();
    socket.on('data', onData).on('error', reject).on('end', onEnd);
    socket.resume();
  });
}

/**
 * withBody is `req` again with `body` as its stream: Node ended the upgrade request's own stream
 * at the headers, and the socket now belongs to whoever hijacks it.
 */
function withBody(req: IncomingMessage, socket: Duplex, body: Buffer): IncomingMessage {
  const request = new IncomingMessage(socket as Socket);
  request._read = () => undefined;
  Object.assign(request, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    complete: true,
    [UPGRADED]: true,
  });
  if (body.length > 0) request.push(body);
  request.push(null);
  return request;
}

function refuse(socket: Duplex, status: string, message: string): void {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * dispatchUpgrade serves a request Node handed to 'upgrade' through the same request listener
 * (Express, so the version prefix, the headers, the routes and the JSON errors are the API's
 * own): its body is read off the socket (Node stops parsing at the headers), a response is bound
 * to the socket, and the socket closes after an ordinary answer. A route that hijacks writes its
 * own `101 UPGRADED` and keeps the socket.
 */
async function dispatchUpgrade(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer) {
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.headers['transfer-encoding'] !== undefined || !(length >= 0 && length <= MAX_BODY_BYTES))
    return refuse(
      socket,
      '400 Bad Request',
      'an upgraded request needs a Content-Length body of at most 1 MiB',
    );
  const body = await readBody(socket, head, length);
  const request = withBody(req, socket, body);
  const res = new ServerResponse(request);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on('finish', () => socket.end());
  server.emit('request', request, res);
}

/**
 * installUpgradeDispatch makes `server` answer `Connection: Upgrade` requests (the docker CLI's
 * attach, `run -it`, `exec -it`, `start -a`) through its request listener. Without an 'upgrade'
 * listener Node 20 would pass them to Express as ordinary requests (no way to answer 101 and keep
 * the socket); with one, every such request arrives here, so every path must be served.
 */
export function installUpgradeDispatch(server: Server): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    dispatchUpgrade(server, req, socket, head).catch(() => socket.destroy());
  });
}
