import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pushLayeredImage } from '../support/layered-image';
import { Topology, startCluster, startEmbedded } from '../support/topology';
import { GzipImage, pushGzipImage } from './gzip-image';
import {
  BASELINE,
  ROUNDS,
  chosen,
  median,
  mib,
  procCpuMs,
  procKib,
  run,
  skopeoPull,
  timed,
} from './bench-support';

const WARM_ROUNDS = Number(process.env['BENCH_WARM_ROUNDS'] ?? 50);
const FLOOR = join(__dirname, 'floor-puller.mjs');

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;
let warmUp: string;
const report: string[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-'));
  warmUp = (await pushLayeredImage(registry.host, 'bench/warm-up', 2, 90_000)).reference;
}, 300_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** enginePull is `docker pull` as the CLI sends it: POST /images/create, read to the end. */
async function enginePull(base: string, reference: string): Promise<void> {
  const at = reference.lastIndexOf(':');
  const query = new URLSearchParams({
    fromImage: reference.slice(0, at),
    tag: reference.slice(at + 1),
  });
  const res = await fetch(`${base}/v1.50/images/create?${query}`, {
    method: 'POST',
    headers: { 'X-Registry-Auth': 'e30=' },
  });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"error"'))
    throw new Error(`pull answered ${res.status}: ${text.slice(-300)}`);
}

/** One timed pull into a fresh store, and the peak RSS and CPU time of each Stevedore process. */
interface Sample {
  ms: number;
  peakKib: Map<string, number>;
  cpuMs: Map<string, number>;
}

type Contender = (image: GzipImage, dest: string) => Promise<Sample>;

/** skopeo is the peer: the same image into a fresh OCI layout, every blob fetched, verified, fsynced. */
const skopeo: Contender = async (image, dest) => {
  const ms = await timed(() => skopeoPull(image.reference, dest));
  return { ms, peakKib: new Map(), cpuMs: new Map() };
};

/** floor is an ideal Node puller (floor-puller.mjs): 8 streams, one hash, fsync per blob. */
const floor: Contender = async (image, dest) => {
  const [host, rest] = [registry.host, image.reference.slice(registry.host.length + 1)];
  const [repo, tag] = rest.split(':') as [string, string];
  const ms = await timed(() => run(process.execPath, [FLOOR, host, repo, tag, dest]));
  return { ms, peakKib: new Map(), cpuMs: new Map() };
};

/**
 * stevedore starts a fresh topology over a fresh store, warms it with a two-layer pull (a daemon is
 * long-lived; the first request's lazy loading is not the pull's cost), times the cold pull, and
 * reads each process's VmHWM — its peak RSS since it started, so the warm-up and the pull only.
 */
function stevedore(start: () => Promise<Topology>): Contender {
  return async (image) => {
    const topology = await start();
    try {
      await enginePull(topology.url, warmUp);
      const pids = [...topology.processes].map(([name, proc]) => [name, proc.pid ?? 0] as const);
      const cpuBefore = await Promise.all(pids.map(([, pid]) => procCpuMs(pid)));
      const ms = await timed(() => enginePull(topology.url, image.reference));
      const peakKib = new Map<string, number>();
      const cpuMs = new Map<string, number>();
      for (const [i, [name, pid]] of pids.entries()) {
        peakKib.set(name, await procKib(pid, 'VmHWM'));
        cpuMs.set(name, (await procCpuMs(pid)) - (cpuBefore[i] ?? 0));
      }
      return { ms, peakKib, cpuMs };
    } finally {
      await topology.stop();
    }
  };
}

// BENCH_BASELINE adds `baseline` (embedded) and `baseline-cluster`; BENCH_CONTENDERS narrows the
// run, but skopeo and floor stay: they are the ratios' base.

const ALL_CONTENDERS: [string, Contender][] = [
  ['skopeo', skopeo],
  ['floor', floor],
  ['embedded', stevedore(() => startEmbedded())],
  ['cluster', stevedore(() => startCluster({ runtime: false }))],
  // Fetchers streaming to the blobstore over HTTP, as without a shared data root.
  ['cluster-http', stevedore(() => startCluster({ runtime: false, fetcherDataRoot: false }))],
  ...(BASELINE
    ? [
        ['baseline', stevedore(() => startEmbedded(undefined, { dist: BASELINE }))] as [
          string,
          Contender,
        ],
        ['baseline-cluster', stevedore(() => startCluster({ runtime: false, dist: BASELINE }))] as [
          string,
          Contender,
        ],
      ]
    : []),
];
const CONTENDERS = ALL_CONTENDERS.filter(
  ([name]) => name === 'skopeo' || name === 'floor' || chosen(name),
);

/** rounds runs every contender once per round, the order rotating so none always goes first. */
async function rounds(image: GzipImage): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(CONTENDERS.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < CONTENDERS.length; i += 1) {
      const [name, contender] = CONTENDERS[(round + i) % CONTENDERS.length] as [string, Contender];
      const dest = join(scratch, `${name}-${round}`);
      samples.get(name)?.push(await contender(image, dest));
      await rm(dest, { recursive: true, force: true });
    }
  }
  return samples;
}

/** describeSamples prints a contender's median, its ratios, and each process's median peak RSS and CPU. */
function describeSamples(
  name: string,
  samples: Sample[],
  skopeoMs: number,
  floorMs: number,
): string {
  const ms = median(samples.map((s) => s.ms));
  const ratios = `${(ms / skopeoMs).toFixed(2)} × skopeo, ${(ms / floorMs).toFixed(2)} × floor`;
  const names = [...(samples[0]?.peakKib.keys() ?? [])];
  const of = (p: string, field: 'peakKib' | 'cpuMs') =>
    median(samples.map((s) => s[field].get(p) ?? NaN));
  const procs = names.map(
    (p) => `${p} ${mib(of(p, 'peakKib'))} / ${of(p, 'cpuMs').toFixed(0)} ms CPU`,
  );
  const total = names.reduce((sum, p) => sum + of(p, 'cpuMs'), 0);
  const detail = procs.length
    ? `  peak RSS / CPU: ${procs.join(', ')} (CPU ${total.toFixed(0)} ms in all)`
    : '';
  const spread = samples.map((s) => s.ms.toFixed(0)).join(' ');
  return `  ${name.padEnd(12)} ${ms.toFixed(0).padStart(6)} ms  ${ratios}${detail}  [rounds: ${spread}]`;
}

const MB = 1_000_000;
const ALL_WORKLOADS = [
  {
    key: 'large',
    name: '8 layers, 540 MB',
    sizes: Array.from({ length: 8 }, () => 67.5 * MB),
    seed: 300_000,
  },
  {
    key: 'small',
    name: '100 layers × 1 MB',
    sizes: Array.from({ length: 100 }, () => MB),
    seed: 400_000,
  },
];
/** BENCH_WORKLOADS keeps only the named cold-pull cases (comma-separated: `large`, `small`). */
const ONLY_WORKLOADS = process.env['BENCH_WORKLOADS']?.split(',');
const WORKLOADS = ALL_WORKLOADS.filter(
  ({ key }) => !ONLY_WORKLOADS || ONLY_WORKLOADS.includes(key),
);

describe('cold pull benchmark: skopeo, an ideal Node puller, Stevedore embedded and cluster', () => {
  it.each(WORKLOADS)(
    'cold pull of $name into a fresh store',
    async ({ name, sizes, seed }) => {
      const image = await pushGzipImage(registry.host, `bench/cold-${seed}`, sizes, seed, scratch);
      const before = load();
      const samples = await rounds(image);
      const skopeoMs = median(samples.get('skopeo')?.map((s) => s.ms) ?? []);
      const floorMs = median(samples.get('floor')?.map((s) => s.ms) ?? []);
      report.push(
        `[cold pull] ${name} (${(image.bytes / MB).toFixed(0)} MB in ${image.blobs} blobs), medians of ${ROUNDS}, load average ${before} → ${load()}`,
        ...[...samples].map(([who, s]) => describeSamples(who, s, skopeoMs, floorMs)),
      );
      expect(samples.get('skopeo')).toHaveLength(ROUNDS);
    },
    3_600_000,
  );
});

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster({ runtime: false })],
] as const)('warm pull benchmark, %s topology', (name, start) => {
  let topology: Topology;
  beforeAll(async () => {
    topology = await start();
  }, 120_000);
  afterAll(async () => topology?.stop());

  it('`docker pull` of an image already present: gateway time', async () => {
    await enginePull(topology.url, fixtures.busybox.reference);
    const warm: number[] = [];
    for (let round = 0; round < WARM_ROUNDS; round += 1)
      warm.push(await timed(() => enginePull(topology.url, fixtures.busybox.reference)));
    const sorted = [...warm].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? NaN;
    report.push(
      `[${name}] up-to-date pull of busybox: median ${median(warm).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (budget 100 ms; ${WARM_ROUNDS} rounds)`,
    );
    expect(warm).toHaveLength(WARM_ROUNDS);
  }, 300_000);
});
