import { connect } from 'node:net';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { DomainError } from '@stevedore/domain';
import { InternalEndpoint } from '@stevedore/internal-http';
import { ContainerIo, HttpContainerIo, PathStat, Session } from '@stevedore/runtime-http';
import { InternalRuntimeServer } from './internal-runtime.server';

const TOKEN = 'runtime-http-spec-token-0123456789abcdef';
const STAT: PathStat = { name: 'etc', size: 4096, mode: 2147484141, mtime: 'x', linkTarget: '' };

/** A session that greets, echoes upper-cased until the caller's half-close, then says bye. */
function shoutSession(tty: boolean, seen: string[]): Session {
  return {
    tty,
    run: (conn: Duplex) =>
      new Promise<void>((resolve) => {
        conn.write('hi\n');
        conn.on('data', (chunk: Buffer) => {
          seen.push(chunk.toString());
          conn.write(chunk.toString().toUpperCase());
        });
        conn.once('end', () => conn.end('bye\n', () => resolve()));
      }),
  };
}

/** How much a lazy log stream produced, and whether its reader went away. */
interface LogProbe {
  produced: number;
  aborted: boolean;
}

/** fakeIo is a ContainerIo of containers `ids` (a fake: the real one runs runc under conmon). */
function fakeIo(seen: string[], logs: LogProbe, puts: Buffer[], ids = ['c1']): ContainerIo {
  const known = (id: string) => {
    if (!ids.includes(id)) throw DomainError.notFound(`No such container: ${id}`);
  };
  return {
    attach: async (id, options) => (known(id), shoutSession(options.stdin, seen)),
    execStart: async (execId, options) => {
      if (execId === 'stopped') throw DomainError.conflict('Container c1 is not running');
      return shoutSession(options.tty, seen);
    },
    logs: async (id, _options, signal) => {
      known(id);
      signal?.addEventListener('abort', () => (logs.aborted = true));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const body = new Readable({
        read() {
          logs.produced += chunk.length;
          this.push(logs.produced > 256 * 1024 * 1024 ? null : chunk);
        },
      });
      return { tty: false, body };
    },
    statPath: async (id, path) => {
      known(id);
      if (path === '/nosuch') throw DomainError.notFound(`Could not find the file ${path}`);
      return STAT;
    },
    getArchive: async (id) => (
      known(id),
      { stat: STAT, body: Readable.from([Buffer.from('tar')]) }
    ),
    putArchive: async (id, options, tar) => {
      known(id);
      for await (const chunk of tar) puts.push(chunk as Buffer);
      puts.push(Buffer.from(JSON.stringify(options)));
    },
    export: async (id) => (known(id), Readable.from([Buffer.from('root'), Buffer.from('fs')])),
  };
}

async function freeEndpoint(): Promise<InternalEndpoint> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return { host: '127.0.0.1', port, token: TOKEN };
}

/** converse runs a session over an in-memory pair: writes `input`, half-closes, reads all. */
async function converse(session: Session, input: string): Promise<string> {
  const toSession = new PassThrough();
  const fromSession = new PassThrough();
  const conn = Duplex.from({ readable: toSession, writable: fromSession });
  const out: Buffer[] = [];
  fromSession.on('data', (chunk: Buffer) => out.push(chunk));
  const running = session.run(conn);
  toSession.end(input);
  await running;
  return Buffer.concat(out).toString();
}

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('HttpContainerIo → the runtime’s internal endpoint (ContainerIo faked)', () => {
  const seen: string[] = [];
  const logs: LogProbe = { produced: 0, aborted: false };
  const puts: Buffer[] = [];
  let server: InternalRuntimeServer;
  let endpoint: InternalEndpoint;
  let client: HttpContainerIo;

  beforeAll(async () => {
    endpoint = await freeEndpoint();
    server = new InternalRuntimeServer(endpoint, fakeIo(seen, logs, puts));
    await server.onModuleInit();
    client = new HttpContainerIo([`http://127.0.0.1:${endpoint.port}`], TOKEN);
  });

  afterAll(async () => {
    await client?.close();
    await server?.onModuleDestroy();
  });

  it('attaches over an upgrade: bytes both ways, the half-close passed on, the tty flag kept', async () => {
    const session = await client.attach('c1', {
      stream: true,
      logs: false,
      stdin: true,
      stdout: true,
      stderr: true,
    });
    expect(session.tty).toBe(true);
    expect(await converse(session, 'ping')).toBe('hi\nPINGbye\n');
    expect(seen).toContain('ping');
  });

  it('answers a refused attach or exec with the runtime’s own error, before any upgrade', async () => {
    const options = { stream: true, logs: false, stdin: false, stdout: true, stderr: true };
    await expect(client.attach('nosuch', options)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such container: nosuch',
    });
    await expect(client.execStart('stopped', { detach: false, tty: false })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Container c1 is not running',
    });
    const exec = await client.execStart('e1', { detach: false, tty: false });
    expect(exec.tty).toBe(false);
    expect(await converse(exec, 'ls')).toBe('hi\nLSbye\n');
  });

  it('streams logs with backpressure, and stops the work when the reader goes', async () => {
    const gone = new AbortController();
    const options = {
      follow: true,
      stdout: true,
      stderr: true,
      since: 0,
      until: 0,
      timestamps: false,
      tail: 'all',
    };
    const { tty, body } = await client.logs('c1', options, gone.signal);
    expect(tty).toBe(false);
    for await (const _chunk of body.iterator({ destroyOnReturn: false })) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Read one chunk of 256 MiB: what was made is what the socket buffers hold, not the lot.
    expect(logs.produced).toBeLessThan(16 * 1024 * 1024);
    gone.abort();
    body.destroy();
    for (let i = 0; i < 50 && !logs.aborted; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logs.aborted).toBe(true);
  });

  it('copies into and out of a container and exports it, keeping error messages on HEAD', async () => {
    expect(await client.statPath('c1', '/etc')).toEqual(STAT);
    await expect(client.statPath('c1', '/nosuch')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Could not find the file /nosuch',
    });
    const { stat, body } = await client.getArchive('c1', '/etc');
    expect(stat).toEqual(STAT);
    expect(await text(body)).toBe('tar');
    const options = { path: '/tmp', noOverwriteDirNonDir: true, copyUIDGID: false };
    await client.putArchive('c1', options, Readable.from([Buffer.from('a tar')]));
    expect(puts.map(String)).toEqual(['a tar', JSON.stringify(options)]);
    expect(await text(await client.export('c1'))).toBe('rootfs');
    await expect(client.export('nosuch')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('finds the owner among several runtimes, skipping one that does not know the container', async () => {
    const other = await freeEndpoint();
    // The other runtime, asked first, has no container: it answers NOT_FOUND for `c1`.
    const empty = new InternalRuntimeServer(other, fakeIo([], logs, [], []));
    await empty.onModuleInit();
    const both = new HttpContainerIo(
      [`http://127.0.0.1:${other.port}`, `http://127.0.0.1:${endpoint.port}`],
      TOKEN,
    );
    try {
      expect(await text(await both.export('c1'))).toBe('rootfs');
    } finally {
      await both.close();
      await empty.onModuleDestroy();
    }
  });

  it('refuses a caller without the token, for requests and upgrades alike', async () => {
    const stranger = new HttpContainerIo([`http://127.0.0.1:${endpoint.port}`], 'wrong-token');
    try {
      await expect(stranger.export('c1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(stranger.execStart('e1', { detach: false, tty: false })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    } finally {
      await stranger.close();
    }
    // A raw upgrade without any token is answered 401 and closed.
    const raw = connect(endpoint.port, '127.0.0.1');
    raw.end(
      'POST /exec/e1/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
    );
    expect(await text(raw)).toMatch(/^HTTP\/1\.1 401 /);
  });
});
