import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { freePort } from '@stevedore/testing';

/** A running {@link startPipeProxy}. */
export interface PipeProxy {
  host: string;
  stop(): Promise<void>;
}

/**
 * startPipeProxy starts the floor of a pull-through cache: an HTTP hop that forwards each request
 * to `upstreamHost` and pipes the answer back, verifying nothing and storing nothing. What a cache
 * costs beyond it is the price of keeping and checking the bytes.
 */
export async function startPipeProxy(upstreamHost: string): Promise<PipeProxy> {
  const [hostname, port] = upstreamHost.split(':');
  const server = createServer((req, res) => {
    const forward = request(
      {
        hostname,
        port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstreamHost },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${own}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * startSocatPipe starts the floor of any hop: socat relaying TCP to `upstreamHost` in C, with no
 * HTTP at all. What the Node pipe costs beyond it is Node's; what it costs, a second hop's.
 */
export async function startSocatPipe(upstreamHost: string): Promise<PipeProxy> {
  const port = await freePort();
  const child = spawn(
    'socat',
    ['-b', '1048576', `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `TCP:${upstreamHost}`],
    { stdio: 'ignore' },
  );
  for (const deadline = Date.now() + 5_000; !(await accepts(port));) {
    if (Date.now() > deadline) throw new Error('socat did not listen within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      child.kill();
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('close', () => socket.destroy());
    socket.once('connect', () => socket.end());
  });
}
