import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HttpFaultProxy,
  RegistryHandle,
  startHttpFaultProxy,
  startRegistry,
} from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { BigImage, pushBigImage } from './support/big-image';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
/** The test config's back-off cap (`max-upstream-backoff-seconds`): small, so the suite waits it out. */
const CAP_SECONDS = 2;
const CONFIG = { 'max-upstream-backoff-seconds': CAP_SECONDS };
const MB = 1024 * 1024;
/** Docker Hub's answer once the pull quota is used up. */
const HUB_429_BODY = JSON.stringify({
  errors: [
    {
      code: 'TOOMANYREQUESTS',
      message:
        'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    },
  ],
});

// The registry sits behind the HTTP fault proxy: it answers 429s, throttles, and counts bytes.
let registry: RegistryHandle;
let proxy: HttpFaultProxy;
let home: string;
type Case = 'limited' | 'cancelled' | 'shared';
const images = new Map<string, BigImage>();

/** imageOf is the image a case uses on a topology, named through the proxy. */
function imageOf(topology: string, which: Case): BigImage {
  const image = images.get(`${topology}/${which}`);
  if (!image) throw new Error(`no image for ${topology}/${which}`);
  return image;
}

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startHttpFaultProxy(registry.url);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-limits-'));
  const sizes: Record<Case, number> = { limited: 2 * MB, cancelled: 32 * MB, shared: 16 * MB };
  let seed = 500;
  for (const topology of ['embedded', 'cluster'])
    for (const which of Object.keys(sizes) as Case[]) {
      const pushed = await pushBigImage(
        registry.host,
        `limits/${topology}-${which}`,
        sizes[which],
        (seed += 10),
      );
      const reference = pushed.reference.replace(registry.host, proxy.host);
      images.set(`${topology}/${which}`, { ...pushed, reference });
    }
}, 240_000);

afterAll(async () => {
  await killAllApps();
  await proxy?.stop();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** A docker CLI command running in the background: its outcome, and a way to kill it. */
interface DockerRun {
  done: Promise<{ code: number | null; output: string; ms: number }>;
  kill(): void;
}

/** docker starts the real docker CLI against `topology`; it is killed after `timeoutMs`. */
function docker(topology: Topology, args: string[], timeoutMs = 60_000): DockerRun {
  const started = Date.now();
  const child = spawn(DOCKER, args, {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DOCKER_CONFIG: home,
      DOCKER_HOST: topology.url.replace(/^http:/, 'tcp:'),
    },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<{ code: number | null; output: string; ms: number }>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    }),
  );
  return { done, kill: () => child.kill('SIGKILL') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** layerTraffic sums what the proxy served of blob `digest`, and counts the GETs for it. */
function layerTraffic(digest: string): { bytes: number; gets: number } {
  const gets = proxy.requests().filter((r) => r.method === 'GET' && r.path.endsWith(digest));
  return { bytes: gets.reduce((sum, r) => sum + r.bytesSent, 0), gets: gets.length };
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const value = probe();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** slowPull starts `docker pull` of a case's image through the throttled proxy, once its big layer flows. */
async function slowPull(topology: Topology, which: Case, flowing: number) {
  const image = imageOf(topology.name, which);
  const big = image.layers[1]?.digest ?? '';
  proxy.reset();
  proxy.setRule({ pathPattern: /\/blobs\//, bytesPerSecond: 2 * MB });
  const pulling = docker(topology, ['pull', image.reference]);
  await waitFor('the big layer flowing', () => layerTraffic(big).bytes > flowing);
  return { image, big, pulling };
}

describe.each([
  ['embedded', () => startEmbedded(undefined, { daemonConfig: CONFIG })],
  ['cluster', () => startCluster({ daemonConfig: CONFIG })],
] as const)('upstream limits, %s topology', (name, start) => {
  let stevedore: Topology;

  beforeAll(async () => {
    stevedore = await start();
  }, 120_000);

  afterAll(async () => {
    proxy.reset();
    await stevedore?.stop();
  });

  it('answers a 429 with Retry-After: 3600 at once with toomanyrequests, and pulls again once the cap has passed (a restart inherits no more)', async () => {
    const image = imageOf(name, 'limited');
    const big = image.layers[1]?.digest ?? '';
    proxy.reset();
    proxy.setRule({
      pathPattern: new RegExp(`/blobs/${big}$`),
      failStatus: {
        status: 429,
        times: 1_000,
        headers: { 'Retry-After': '3600' },
        body: HUB_429_BODY,
      },
    });
    const limited = await docker(stevedore, ['pull', image.reference]).done;
    expect(limited.code).not.toBe(0);
    expect(limited.output).toContain('toomanyrequests: You have reached your pull rate limit');
    expect(limited.ms).toBeLessThan(10_000);

    proxy.setRule(undefined);
    if (name === 'cluster') await stevedore.restart('fetcher');
    await sleep(CAP_SECONDS * 1000 + 500);
    const again = await docker(stevedore, ['pull', image.reference], 30_000).done;
    expect(again.output).not.toContain('toomanyrequests');
    expect(again.code).toBe(0);
  }, 120_000);

  it('stops the download of a pull whose client was killed, and a later pull completes', async () => {
    const { image, big, pulling } = await slowPull(stevedore, 'cancelled', 2 * MB);
    pulling.kill();
    await pulling.done;
    await sleep(2_000);
    const settled = layerTraffic(big);
    await sleep(3_000);
    expect(layerTraffic(big)).toEqual(settled);
    expect(settled.bytes).toBeLessThan(image.layers[1]?.size ?? 0);

    proxy.setRule(undefined);
    const again = await docker(stevedore, ['pull', image.reference]).done;
    expect(again.code).toBe(0);
  }, 120_000);

  it('finishes a pull another client shares after that client was killed', async () => {
    const { image, pulling: first } = await slowPull(stevedore, 'shared', MB);
    const second = docker(stevedore, ['pull', image.reference]);
    await sleep(1_500);
    first.kill();
    const kept = await second.done;
    expect(kept.code).toBe(0);
    expect(kept.output).toContain(`Downloaded newer image for ${image.reference}`);
  }, 120_000);
});
