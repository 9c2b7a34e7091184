import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

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
