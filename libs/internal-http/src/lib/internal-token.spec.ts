import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InternalPool, isInternalToken, requireInternalToken } from './internal-token';
import { isUnreachable } from './replicas';

const TOKEN = 'the-cluster-token-0123456789abcdef0123';

describe('isInternalToken', () => {
  it('accepts only `Bearer <token>`', () => {
    expect(isInternalToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(isInternalToken(undefined, TOKEN)).toBe(false);
    expect(isInternalToken('', TOKEN)).toBe(false);
    expect(isInternalToken('Bearer ', TOKEN)).toBe(false);
    expect(isInternalToken(TOKEN, TOKEN)).toBe(false);
    expect(isInternalToken(`Basic ${TOKEN}`, TOKEN)).toBe(false);
    expect(isInternalToken(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(isInternalToken(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(isInternalToken(`Bearer ${TOKEN.toUpperCase()}`, TOKEN)).toBe(false);
  });
});

describe('requireInternalToken over real HTTP', () => {
  let server: Server;
  let url: string;
  const served: string[] = [];

  beforeAll(async () => {
    const handler = requireInternalToken((req, res) => {
      served.push(`${req.method} ${req.url}`);
      res.writeHead(200).end('ok');
    }, TOKEN);
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers 401 without a token or with a wrong one, and never runs the handler', async () => {
    const none = await fetch(`${url}/blobs/x`, { method: 'DELETE' });
    const wrong = await fetch(`${url}/blobs/x`, {
      method: 'PUT',
      body: 'bytes',
      headers: { authorization: 'Bearer guess' },
    });
    expect([none.status, wrong.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual({
      code: 'UNAUTHORIZED',
      message: 'internal endpoint: bad token',
    });
    expect(served).toEqual([]);
  });

  it('serves an InternalPool, which presents the token on every request', async () => {
    const pool = new InternalPool(url, TOKEN);
    try {
      const plain = await pool.request({ method: 'GET', path: '/a' });
      const withHeaders = await pool.request({
        method: 'GET',
        path: '/b',
        headers: { range: 'bytes=0-' },
      });
      const withList = await pool.request({ method: 'GET', path: '/c', headers: ['x-a', '1'] });
      for (const res of [plain, withHeaders, withList]) {
        expect(res.statusCode).toBe(200);
        await res.body.dump();
      }
      expect(served).toEqual(['GET /a', 'GET /b', 'GET /c']);
    } finally {
      await pool.close();
    }
  });

  it('refuses to guard an endpoint with an empty token', () => {
    expect(() => requireInternalToken(() => undefined, '')).toThrow(/needs a token/);
  });
});

describe('InternalPool when its peer is down', () => {
  it('answers UNAVAILABLE naming the peer, which Replicas still moves past', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve)); // nothing listens there any more
    const pool = new InternalPool(`http://127.0.0.1:${port}`, TOKEN, {}, 'blob store');
    try {
      const failure = await pool.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
      expect(failure).toMatchObject({
        code: 'UNAVAILABLE',
        message: 'blob store unavailable, retry later',
      });
      expect(isUnreachable(failure)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('answers UNAVAILABLE when the peer drops the connection before answering', async () => {
    const server = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const pool = new InternalPool(`http://127.0.0.1:${port}`, TOKEN, {}, 'exporter');
    try {
      await expect(pool.request({ method: 'PUT', path: '/x', body: 'b' })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: 'exporter unavailable, retry later',
      });
    } finally {
      await pool.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
