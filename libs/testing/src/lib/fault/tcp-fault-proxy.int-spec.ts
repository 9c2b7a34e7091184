import { connect, Socket } from 'node:net';
import {
  Fixtures,
  pushFixtures,
  RegistryHandle,
  startRegistry,
  startTcpFaultProxy,
  TcpFaultProxy,
} from '../../index';
import { sha256Of } from '../../test/helpers';

interface RawExchange {
  socket: Socket;
  received: Buffer[];
  bytes(): number;
  /** Resolves with the error (if any) once the connection closed. */
  closed: Promise<Error | undefined>;
}

function rawGet(proxy: TcpFaultProxy, path: string): RawExchange {
  const socket = connect({ host: proxy.host, port: proxy.port });
  const received: Buffer[] = [];
  let error: Error | undefined;
  socket.on('data', (c: Buffer) => received.push(c));
  socket.on('error', (e) => (error = e));
  const closed = new Promise<Error | undefined>((resolve) =>
    socket.on('close', () => resolve(error)),
  );
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  return { socket, received, closed, bytes: () => received.reduce((n, c) => n + c.length, 0) };
}

const until = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TCP fault proxy in front of a real registry', () => {
  let registry: RegistryHandle;
  let fixtures: Fixtures;
  let proxy: TcpFaultProxy;
  const blobPath = () => `/v2/test/multi-layer/blobs/${fixtures.multiLayer.layers?.[2]?.digest}`;

  beforeAll(async () => {
    registry = await startRegistry();
    fixtures = await pushFixtures(registry);
    proxy = await startTcpFaultProxy({
      host: '127.0.0.1',
      port: Number(new URL(registry.url).port),
    });
  });
  afterEach(() => {
    proxy.setRule(undefined);
    proxy.resume();
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('forwards a whole exchange byte for byte and counts the bytes from the target', async () => {
    const before = proxy.bytesFromTarget();
    const ex = rawGet(proxy, blobPath());
    expect(await ex.closed).toBeUndefined();
    const all = Buffer.concat(ex.received);
    const body = all.subarray(all.indexOf('\r\n\r\n') + 4);
    expect(all.subarray(0, 15).toString()).toBe('HTTP/1.1 200 OK');
    expect(sha256Of(body)).toBe(fixtures.multiLayer.layers?.[2]?.digest);
    expect(proxy.bytesFromTarget() - before).toBe(all.length);
  });

  it.each([1, 4096, 123_457])(
    'closes the connection after exactly %d bytes from the target',
    async (n) => {
      proxy.setRule({ resetAfterBytes: n });
      const ex = rawGet(proxy, blobPath());
      await ex.closed;
      expect(ex.bytes()).toBe(n);
      expect(Buffer.concat(ex.received).subarray(0, Math.min(n, 8)).toString()).toBe(
        'HTTP/1.1'.slice(0, Math.min(n, 8)),
      );
    },
  );

  it('stalls after N bytes, and cutAll() then resets the open connection', async () => {
    proxy.setRule({ stallAfterBytes: 1000 });
    const ex = rawGet(proxy, blobPath());
    await until(() => ex.bytes() >= 1000);
    await sleep(300);
    expect(ex.bytes()).toBe(1000);
    expect(proxy.connections()).toBe(1);
    proxy.cutAll();
    const error = await ex.closed;
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    await until(() => proxy.connections() === 0);
  });

  it('pause() holds all traffic and resume() lets the exchange finish', async () => {
    proxy.pause();
    const ex = rawGet(proxy, '/v2/');
    await sleep(300);
    expect(ex.bytes()).toBe(0);
    proxy.resume();
    expect(await ex.closed).toBeUndefined();
    expect(Buffer.concat(ex.received).toString()).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('delays new connections by delayMs', async () => {
    proxy.setRule({ delayMs: 300 });
    const started = Date.now();
    const ex = rawGet(proxy, '/v2/');
    await ex.closed;
    expect(ex.bytes()).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
