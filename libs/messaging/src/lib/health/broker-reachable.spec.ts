import { createServer } from 'node:net';
import type { Server } from 'node:http';
import { healthAddress, startHealthServer } from '@stevedore/observability';
import { brokerReachable } from './broker-reachable';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('brokerReachable on the health server (real HTTP, the real RabbitMQ)', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  async function serve(amqpUrl: string): Promise<string> {
    const server = await startHealthServer('127.0.0.1', 0, brokerReachable(amqpUrl));
    servers.push(server);
    return `http://${healthAddress(server)}`;
  }

  it('is ready when the broker accepts connections, and says why not when it does not', async () => {
    const up = await serve(process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672');
    expect((await fetch(`${up}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${up}/readyz`)).json()).toEqual({ status: 'ready' });
    const port = await closedPort();
    const down = await serve(`amqp://guest:guest@127.0.0.1:${port}`);
    const answer = await fetch(`${down}/readyz`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({
      status: 'not ready',
      reason: `the broker at 127.0.0.1:${port} refuses connections`,
    });
  });
});
