import type { Server } from 'node:http';
import { recordMessage } from '../metrics/metrics';
import { Readiness, healthAddress, startHealthServer } from './health-server';

describe('health server (real HTTP)', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  async function serve(readiness: Readiness): Promise<string> {
    const server = await startHealthServer('127.0.0.1', 0, readiness);
    servers.push(server);
    return `http://${healthAddress(server)}`;
  }

  it('answers /healthz, and /readyz with what the readiness check says', async () => {
    const ready = await serve(async () => undefined);
    expect((await fetch(`${ready}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${ready}/readyz`)).json()).toEqual({ status: 'ready' });
    const waiting = await fetch(`${await serve(async () => 'the disk is full')}/readyz`);
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toEqual({ status: 'not ready', reason: 'the disk is full' });
    const broken = await fetch(`${await serve(() => Promise.reject(new Error('x')))}/readyz`);
    expect(await broken.json()).toEqual({
      status: 'not ready',
      reason: 'the readiness check failed',
    });
  });

  it('refuses other methods and unknown paths', async () => {
    const base = await serve(async () => undefined);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  it('serves the Prometheus counters', async () => {
    recordMessage('test.thing.do.v1', 'NOT_FOUND', 0.01);
    const text = await (await fetch(`${await serve(async () => undefined)}/metrics`)).text();
    expect(text).toContain(
      'stevedore_messages_total{pattern="test.thing.do.v1",outcome="NOT_FOUND"} 1',
    );
    expect(text).toContain('stevedore_errors_total{code="NOT_FOUND"} 1');
  });
});
