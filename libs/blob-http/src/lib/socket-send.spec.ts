import { randomBytes } from 'node:crypto';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { Writable } from 'node:stream';
import { isUnreachable } from '@stevedore/internal-http';
import { errorFromResponse } from './protocol';
import { openSocketSend } from './socket-send';

// A fake blobstore speaking raw HTTP: the real one never cuts a blob short or leaves out its
// length, so these answers cannot be had from it.
let server: Server;
let answer: (socket: Socket) => void;
let port: number;
beforeAll(async () => {
  server = createServer((socket) => socket.once('data', () => answer(socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const get = (to = port) =>
  openSocketSend({
    host: '127.0.0.1',
    port: to,
    path: '/blobs/x',
    headers: { authorization: 'Bearer t' },
    peer: 'blob store',
    refused: errorFromResponse,
  });

/** Sends into a receiver that is done with each chunk when it calls back: it copies it. */
async function sendAll(send: (out: Writable) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await send(out);
  return Buffer.concat(chunks);
}

describe('openSocketSend against a misbehaving blobstore (a fake server)', () => {
  it('takes a blob whose head and body come in pieces', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 5);
    answer = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-le');
      setTimeout(() => socket.write(`ngth: ${body.length}\r\n\r\n`), 5);
      setTimeout(() => socket.end(body), 10);
    };
    expect((await sendAll(await get())).equals(body)).toBe(true);
  });

  it('fails the send when the connection closes before the declared length', async () => {
    answer = (socket) =>
      socket.end(`HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n${'x'.repeat(60)}`);
    const send = await get();
    await expect(sendAll(send)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'blob store closed the connection early, retry later',
    });
  });

  it('refuses a blob without its length, and one longer than declared', async () => {
    answer = (socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nabc');
    await expect(get()).rejects.toMatchObject({ code: 'INTERNAL' });
    answer = (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nabc');
    await expect(get()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('gives an error answer as its domain error, chunked or not', async () => {
    const error = JSON.stringify({ code: 'INVALID_ARGUMENT', message: 'range 9-1 is outside' });
    answer = (socket) =>
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\n\r\n` +
          `${error.length.toString(16)}\r\n${error}\r\n0\r\n\r\n`,
      );
    await expect(get()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'range 9-1 is outside',
    });
    answer = (socket) => socket.end(`HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n`);
    await expect(get()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a malformed head', async () => {
    answer = (socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n');
    await expect(get()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('answers a refused connection as an unreachable replica, which the next one may serve', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await get(dead).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect(isUnreachable(err)).toBe(true);
  });
});
