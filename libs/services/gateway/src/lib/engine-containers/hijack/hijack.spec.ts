import type { NestExpressApplication } from '@nestjs/platform-express';
import { connect, Socket } from 'node:net';
import { startFakeRuntimeApp } from '../testing/fake-runtime';

/** A raw client like the docker CLI's hijack: write the request, read what comes back. */
class RawClient {
  private received = '';
  readonly socket: Socket;
  closed = false;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d: Buffer) => (this.received += d.toString('latin1')));
    this.socket.on('close', () => (this.closed = true));
  }

  async until(test: (text: string) => boolean, ms = 3000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!test(this.received)) {
      if (Date.now() > deadline || (this.closed && !test(this.received)))
        throw new Error(`got only ${JSON.stringify(this.received)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.received;
  }

  async closedSoon(): Promise<boolean> {
    await this.until(() => this.closed).catch(() => undefined);
    return this.closed;
  }
}

function upgradeRequest(path: string, body = ''): string {
  const type = body ? 'Content-Type: application/json\r\n' : '';
  return (
    `POST ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: Docker-Client/28.2.2 (linux)\r\n` +
    `Connection: Upgrade\r\nUpgrade: tcp\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const head = (text: string) => text.slice(0, text.indexOf('\r\n\r\n'));

describe('hijacked attach and exec over real HTTP (fake runtime that echoes)', () => {
  let app: NestExpressApplication;
  let port: number;
  const clients: RawClient[] = [];
  const client = () => {
    const c = new RawClient(port);
    clients.push(c);
    return c;
  };

  beforeAll(async () => ({ app, port } = await startFakeRuntimeApp({})));
  afterEach(() => clients.splice(0).forEach((c) => c.socket.destroy()));
  afterAll(async () => app?.close());

  it('answers an upgraded attach 101 UPGRADED, multiplexed for no TTY at 1.50, then bytes both ways', async () => {
    const c = client();
    c.socket.write(
      upgradeRequest('/v1.50/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1'),
    );
    const text = await c.until((t) => t.includes('attached to c1\n'));
    expect(head(text).split('\r\n')).toEqual(
      expect.arrayContaining([
        'HTTP/1.1 101 UPGRADED',
        'Content-Type: application/vnd.docker.multiplexed-stream',
        'Connection: Upgrade',
        'Upgrade: tcp',
      ]),
    );
    c.socket.write('echo me\n');
    expect(await c.until((t) => t.endsWith('echo me\n'))).toMatch(/attached to c1\necho me\n$/);
  });

  it('says raw-stream for a TTY container, and for no TTY below API 1.42', async () => {
    const tty = client();
    tty.socket.write(upgradeRequest('/v1.50/containers/tty/attach?stream=1&stdout=1'));
    expect(head(await tty.until((t) => t.includes('attached')))).toContain(
      'Content-Type: application/vnd.docker.raw-stream',
    );
    const old = client();
    old.socket.write(upgradeRequest('/v1.41/containers/c1/attach?stream=1&stdout=1'));
    expect(head(await old.until((t) => t.includes('attached')))).toContain(
      'Content-Type: application/vnd.docker.raw-stream',
    );
  });

  it('answers an unknown container with a JSON 404 before any upgrade, and closes', async () => {
    const c = client();
    c.socket.write(upgradeRequest('/v1.50/containers/nosuch/attach?stream=1&stdout=1'));
    const text = await c.until((t) => t.includes('}'));
    expect(text).toMatch(/^HTTP\/1.1 404 Not Found\r\n/);
    expect(text).toMatch(/\r\nContent-Type: application\/json\r\n/);
    expect(text).toContain('{"message":"No such container: nosuch"}');
    expect(text).not.toContain('101');
    expect(await c.closedSoon()).toBe(true);
  });

  it('reads exec start’s JSON body off the upgraded socket and starts a TTY session', async () => {
    const c = client();
    const id = 'ab'.repeat(32);
    c.socket.write(upgradeRequest(`/v1.50/exec/${id}/start`, '{"Detach":false,"Tty":true}'));
    const text = await c.until((t) => t.includes('tty=true\n'));
    expect(head(text)).toContain('HTTP/1.1 101 UPGRADED');
    expect(head(text)).toContain('Content-Type: application/vnd.docker.raw-stream');
    c.socket.write('ls\r');
    await c.until((t) => t.endsWith('ls\r'));
  });

  it('keeps stdin a client sent before the 101 arrived', async () => {
    const c = client();
    const id = 'cd'.repeat(32);
    c.socket.write(upgradeRequest(`/v1.50/exec/${id}/start`, '{"Tty":false}') + 'early bytes');
    expect(await c.until((t) => t.includes('early bytes'))).toContain('tty=false\nearly bytes');
  });

  it('answers exec on a stopped container 409 with the runtime’s message, as JSON', async () => {
    const c = client();
    c.socket.write(upgradeRequest(`/v1.50/exec/${'0'.repeat(64)}/start`, '{"Tty":false}'));
    const text = await c.until((t) => t.includes('}'));
    expect(text).toMatch(/^HTTP\/1.1 409 Conflict\r\n/);
    expect(text).toContain('{"message":"Container c0ffee is not running"}');
  });

  it('answers a malformed exec ID 404 No such exec instance', async () => {
    const c = client();
    c.socket.write(upgradeRequest('/v1.50/exec/nope/start', '{}'));
    expect(await c.until((t) => t.includes('}'))).toContain(
      '{"message":"No such exec instance: nope"}',
    );
  });

  it('applies the API version check to upgraded requests', async () => {
    const c = client();
    c.socket.write(upgradeRequest('/v1.99/containers/c1/attach?stream=1'));
    const text = await c.until((t) => t.includes('}'));
    expect(text).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(text).toContain('client version 1.99 is too new');
  });

  it('serves an upgraded request to a route that does not hijack as an ordinary answer', async () => {
    const c = client();
    c.socket.write(upgradeRequest('/v1.50/containers/not-a-route/nothing'));
    const text = await c.until((t) => t.includes('}'));
    expect(text).toMatch(/^HTTP\/1.1 404 Not Found\r\n/);
    expect(text).toContain('{"message":"page not found"}');
    expect(await c.closedSoon()).toBe(true);
  });

  it('streams attach as a 200 response body to a client that sends no Upgrade', async () => {
    const res = await fetch(
      `http://127.0.0.1:${port}/v1.50/containers/c1/attach?stream=1&stdout=1`,
      {
        method: 'POST',
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.docker.multiplexed-stream');
    expect(await res.text()).toBe('attached to c1\n');
  });
});
