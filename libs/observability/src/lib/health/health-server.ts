import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS } from '../metrics/metrics';

/** Readiness answers undefined when ready, else why not. */
export type Readiness = () => Promise<string | undefined>;

/**
 * startHealthServer serves a service process's probes on their own small listener: `/healthz`
 * (the event loop answers), `/readyz` (503 with the reason when `readiness` says no) and Prometheus
 * `/metrics`. Resolves with the server once it listens; its address is logged by the caller.
 */
export async function startHealthServer(
  host: string,
  port: number,
  readiness: Readiness,
): Promise<Server> {
  const server = createServer((req, res): void => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: object): void =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET') return json(405, { message: 'method not allowed' });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      readiness().then(
        (reason) =>
          reason === undefined
            ? json(200, { status: 'ready' })
            : json(503, { status: 'not ready', reason }),
        () => json(503, { status: 'not ready', reason: 'the readiness check failed' }),
      );
      return;
    }
    if (path === '/metrics') {
      METRICS.metrics().then(
        (text) => void res.writeHead(200, { 'content-type': METRICS.contentType }).end(text),
        () => json(500, { message: 'metrics failed' }),
      );
      return;
    }
    json(404, { message: 'page not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.unref();
  return server;
}

/** healthAddress is where a health server listens, as `host:port`. */
export function healthAddress(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}
