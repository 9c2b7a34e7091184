import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { pull } from './support/native-api';
import { Topology, startCluster, startEmbedded } from './support/topology';

let registry: RegistryHandle;
let fixtures: Fixtures;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
});

/** counter reads one sample of a Prometheus text exposition (0 when absent). */
function counter(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('health, readiness and metrics of the cluster processes', () => {
  let cluster: Topology;

  beforeAll(async () => {
    cluster = await startCluster({ health: true });
  }, 120_000);

  afterAll(async () => cluster?.stop());

  it('every service process answers /healthz and /readyz, the gateway on its own port', async () => {
    expect([...cluster.health.keys()].sort()).toEqual([
      'blobstore',
      'exporter',
      'fetcher',
      'metadata',
      'resolver',
      'runtime',
    ]);
    for (const base of [...cluster.health.values(), cluster.url]) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    }
  });

  it('/metrics counts real work: bytes the fetcher downloaded, messages each service handled', async () => {
    const lines = await pull(cluster.url, fixtures.multiLayer.reference);
    expect(lines.at(-1)).toMatchObject({ event: 'image' });
    const fetcher = await (await fetch(`${cluster.health.get('fetcher')}/metrics`)).text();
    const layerBytes = (fixtures.multiLayer.layers ?? []).reduce((s, l) => s + l.size, 0);
    expect(counter(fetcher, 'stevedore_blob_bytes_total', 'direction="fetched"')).toBe(layerBytes);
    expect(
      counter(fetcher, 'stevedore_messages_total', 'pattern="fetcher.image.pull.v1",outcome="ok"'),
    ).toBe(1);
    expect(
      counter(fetcher, 'stevedore_queue_consumers', `queue="e2e-cluster-${process.pid}-1.fetcher"`),
    ).toBe(1);
    expect(fetcher).toMatch(/^stevedore_queue_messages\{queue="[^"]+\.fetcher"\} 0$/m);
    const metadata = await (await fetch(`${cluster.health.get('metadata')}/metrics`)).text();
    expect(
      counter(
        metadata,
        'stevedore_messages_total',
        'pattern="metadata.image.record.v1",outcome="ok"',
      ),
    ).toBe(1);
    const gateway = await fetch(`${cluster.url}/metrics`);
    expect(gateway.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await gateway.text()).toContain('stevedore_process_resident_memory_bytes');
  });
});

describe('health of the embedded process', () => {
  it('answers /healthz, /readyz and /metrics on the Engine API port', async () => {
    const embedded = await startEmbedded();
    try {
      expect((await fetch(`${embedded.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${embedded.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${embedded.url}/metrics`)).text()).toContain('stevedore_process_');
    } finally {
      await embedded.stop();
    }
  }, 60_000);
});
