import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HttpFaultProxy,
  RegistryHandle,
  pushFixtures,
  startHttpFaultProxy,
  startRegistry,
} from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { BigImage, pushBigImage } from './support/big-image';
import { pull } from './support/native-api';
import { Topology, startCluster, startEmbedded } from './support/topology';

// Real registry behind the HTTP fault proxy; the embedded topology as a real process.
const BIG = 200 * 1024 * 1024;
let registry: RegistryHandle;
let proxy: HttpFaultProxy;
let image: BigImage;
let dataRoot: string;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startHttpFaultProxy(registry.url);
  image = await pushBigImage(registry.host, 'test/big', BIG);
  image = { ...image, reference: image.reference.replace(registry.host, proxy.host) };
  dataRoot = await mkdtemp(join(tmpdir(), 'stevedore-e2e-crash-'));
}, 240_000);

afterAll(async () => {
  await killAllApps();
  await proxy?.stop();
  await registry?.stop();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every committed blob's bytes hash to its name: no partial or corrupt blob is visible. */
async function expectStoreConsistent(): Promise<string[]> {
  const dir = join(dataRoot, 'content', 'blobs', 'sha256');
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) expect(await sha256File(join(dir, name))).toBe(name);
  return names.map((n) => `sha256:${n}`);
}

/** peakMegabytes reads each process's resident-set high-water mark (VmHWM) and prints it for the log. */
async function peakMegabytes(topology: Topology): Promise<[string, number][]> {
  const peaks: [string, number][] = [];
  for (const [name, proc] of topology.processes) {
    const status = await readFile(`/proc/${proc.pid}/status`, 'utf8');
    const mb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
    peaks.push([name, mb]);
  }
  process.stderr.write(
    `${topology.name} pull of a 200 MB layer, VmHWM MB: ${peaks.map(([n, mb]) => `${n} ${mb.toFixed(0)}`).join(', ')}\n`,
  );
  return peaks;
}

async function waitForIngest(digest: string, atLeast: number): Promise<void> {
  const file = join(dataRoot, 'content', 'ingest', digest.replace(':', '-'), 'data');
  for (
    const deadline = Date.now() + 60_000;
    Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 100))
  ) {
    if (((await stat(file).catch(() => undefined))?.size ?? 0) >= atLeast) return;
  }
  throw new Error(`the ingest of ${digest} never reached ${atLeast} bytes`);
}

function layerGets(digest: string): number {
  return proxy.requests().filter((r) => r.method === 'GET' && r.path.endsWith(`/blobs/${digest}`))
    .length;
}

describe('embedded topology: crash during a pull, memory', () => {
  it('leaves no partial blob visible after a SIGKILL mid-pull, and a new pull completes reusing committed blobs', async () => {
    const [small, big] = image.layers as [BigImage['layers'][0], BigImage['layers'][0]];
    proxy.setRule({ pathPattern: new RegExp(big.digest), stallAfterBytes: 60 * 1024 * 1024 });
    const first = await startEmbedded(dataRoot);
    const pulling = pull(first.url, image.reference).catch(() => []);
    await waitForIngest(big.digest, 50 * 1024 * 1024);
    await first.processes.get('stevedore')?.stop('SIGKILL');
    await pulling;
    const committed = await expectStoreConsistent();
    expect(committed).not.toContain(big.digest);
    expect(committed).toContain(small.digest);

    proxy.setRule(undefined);
    const smallGetsBefore = layerGets(small.digest);
    const second = await startEmbedded(dataRoot);
    try {
      const lines = await pull(second.url, image.reference);
      expect(lines.at(-1)).toMatchObject({ event: 'image', image: { id: image.configDigest } });
      expect(lines.filter((l) => l.digest === small.digest).at(-1)?.state).toBe('exists');
      expect(layerGets(small.digest)).toBe(smallGetsBefore);
      expect(await expectStoreConsistent()).toEqual(
        expect.arrayContaining([small.digest, big.digest]),
      );
    } finally {
      await second.stop();
    }
  }, 180_000);

  it('pulls a 200 MB layer with the process staying under 150 MB of resident memory', async () => {
    const fresh = await startEmbedded();
    try {
      const lines = await pull(fresh.url, image.reference);
      expect(lines.at(-1)).toMatchObject({ event: 'image' });
      const [[name, mb] = ['', 0]] = await peakMegabytes(fresh);
      expect(name).toBe('stevedore');
      expect(mb).toBeLessThan(150);
    } finally {
      await fresh.stop();
    }
  }, 180_000);
});

describe('cluster topology: memory', () => {
  it('pulls a 200 MB layer with every one of the seven processes under 150 MB of resident memory', async () => {
    const cluster = await startCluster();
    try {
      const lines = await pull(cluster.url, image.reference);
      expect(lines.at(-1)).toMatchObject({ event: 'image' });
      const peaks = await peakMegabytes(cluster);
      expect(peaks).toHaveLength(7);
      for (const [, mb] of peaks) expect(mb).toBeLessThan(150);
    } finally {
      await cluster.stop();
    }
  }, 180_000);
});

describe('embedded topology: two simultaneous pulls', () => {
  it('fetch each blob of the multi-layer image from the registry once', async () => {
    const fixtures = await pushFixtures(registry);
    const stevedore = await startEmbedded();
    try {
      const reference = fixtures.multiLayer.reference.replace(registry.host, proxy.host);
      proxy.reset();
      const [a, b] = await Promise.all([
        pull(stevedore.url, reference),
        pull(stevedore.url, reference),
      ]);
      for (const lines of [a, b])
        expect(lines.at(-1)).toMatchObject({
          event: 'image',
          image: { id: fixtures.multiLayer.configDigest },
        });
      for (const layer of fixtures.multiLayer.layers ?? []) expect(layerGets(layer.digest)).toBe(1);
    } finally {
      await stevedore.stop();
    }
  }, 180_000);
});
