import { writeFile } from 'node:fs/promises';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pushLayeredImage } from '../support/big-image';
import { pull } from '../support/native-api';
import { Topology, TopologyOptions, startCluster, startEmbedded } from '../support/topology';
import {
  BASELINE,
  ROUNDS,
  chosen,
  docker,
  median,
  mib,
  ms,
  procKib,
  tcp,
  timed,
} from './bench-support';

/**
 * Resident memory and the warm re-pull, both topologies, a fresh store each round, topologies
 * alternating: idle RSS after start and after one pull, peak RSS during a cold pull of an 8-layer
 * 540 MB image (the peak is reset just before it), and `docker pull` of an image already present
 * against `docker version` (the CLI's own floor), end to end. Prints figures, asserts no speed.
 * Each topology runs twice: as shipped, and with STEVEDORE_MEMORY_TUNING=off (no `--liftoff-only`,
 * a young generation free to grow), so the V8 tuning the apps keep shows
 * what it saves in the same run. BENCH_BASELINE (another build's dist/apps) runs that build's
 * topologies too, as shipped, for a before/after in one run; BENCH_CONTENDERS keeps only the named
 * contenders (comma-separated, e.g. `cluster,cluster baseline`); BENCH_WARM_ROUNDS=0 skips the
 * warm re-pulls when only memory is the question.
 */
const MB = 1024 * 1024;
const LAYERS = [4, 16, 32, 48, 64, 96, 128, 152].map((n) => n * MB);
const WARM_ROUNDS = Number(process.env['BENCH_WARM_ROUNDS'] ?? 20);
// Long enough for start-up garbage to be collected and for timers of the first pull to run out.
const SETTLE_MS = Number(process.env['BENCH_SETTLE_MS'] ?? 3000);
// BENCH_WARM_ONLY=1 measures the warm re-pull alone: tuned apps, no cold pull, no RSS figures.
const WARM_ONLY = process.env['BENCH_WARM_ONLY'] === '1';

interface Contender {
  name: string;
  start: (options: TopologyOptions) => Promise<Topology>;
  options: TopologyOptions;
}

const variants: [string, TopologyOptions][] = [
  ['', {}],
  ...(WARM_ONLY
    ? []
    : ([[' untuned', { env: { STEVEDORE_MEMORY_TUNING: 'off' } }]] as [string, TopologyOptions][])),
  ...(BASELINE ? ([[' baseline', { dist: BASELINE }]] as [string, TopologyOptions][]) : []),
];
const contenders: Contender[] = variants
  .flatMap(([suffix, options]): Contender[] => [
    { name: `embedded${suffix}`, start: (o) => startEmbedded(undefined, o), options },
    { name: `cluster${suffix}`, start: startCluster, options },
  ])
  .filter((contender) => chosen(contender.name));

/** Samples per contender: KiB by `<figure> <process>`, milliseconds by `<figure>`. */
const kib = new Map<string, number[]>();
const millis = new Map<string, number[]>();
const add = (into: Map<string, number[]>, key: string, value: number) =>
  into.set(key, [...(into.get(key) ?? []), value]);

let registry: RegistryHandle;
let fixtures: Fixtures;
let big: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  if (!WARM_ONLY)
    big = (await pushLayeredImage(registry.host, 'bench/memory', LAYERS, 4242)).reference;
}, 600_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  process.stdout.write(`\n${reportLines().join('\n')}\n`);
});

const settle = () => new Promise((wake) => setTimeout(wake, SETTLE_MS));

async function sampleRss(name: string, figure: string, topology: Topology): Promise<void> {
  for (const [proc, app] of topology.processes)
    add(kib, `${name}|${figure}|${proc}`, await procKib(app.pid as number, 'VmRSS'));
}

/** coldPull pulls the big image with every process's peak reset first (clear_refs 5). */
async function coldPull(name: string, topology: Topology): Promise<void> {
  for (const app of topology.processes.values())
    await writeFile(`/proc/${app.pid}/clear_refs`, '5');
  add(millis, `${name}|cold pull 540 MB`, await timed(() => pull(topology.url, big)));
  for (const [proc, app] of topology.processes)
    add(kib, `${name}|peak during cold pull|${proc}`, await procKib(app.pid as number, 'VmHWM'));
}

/** warm alternates `docker pull` of a present image with `docker version`, both end to end. */
async function warm(name: string, topology: Topology): Promise<void> {
  const host = tcp(topology.url);
  const ref = fixtures.busybox.reference;
  await docker(host, 'pull', ref);
  for (let round = 0; round < WARM_ROUNDS; round += 1) {
    add(millis, `${name}|docker pull (present)`, await timed(() => docker(host, 'pull', ref)));
    add(millis, `${name}|docker version`, await timed(() => docker(host, 'version')));
  }
}

async function oneRound(contender: Contender): Promise<void> {
  const topology = await contender.start(contender.options);
  try {
    await settle();
    if (!WARM_ONLY) await memoryFigures(contender.name, topology);
    await warm(contender.name, topology);
  } finally {
    await topology.stop();
  }
}

/** memoryFigures samples idle RSS, then the peak during a cold pull, then idle RSS again. */
async function memoryFigures(name: string, topology: Topology): Promise<void> {
  await sampleRss(name, 'idle after start', topology);
  await coldPull(name, topology);
  await settle();
  await sampleRss(name, 'idle after pull', topology);
}

function reportLines(): string[] {
  const lines = [`memory benchmark: medians of ${ROUNDS} rounds (warm: ${ROUNDS * WARM_ROUNDS})`];
  for (const [key, values] of millis)
    lines.push(`[${key.replace('|', '] ')}: ${ms(median(values))} (${values.length} samples)`);
  for (const [key, values] of kib) {
    const [name, figure, proc] = key.split('|');
    lines.push(
      `[${name}] ${figure}, ${proc}: ${mib(median(values))} (max ${mib(Math.max(...values))})`,
    );
  }
  return lines;
}

describe('memory and warm re-pull benchmark (both topologies, alternating)', () => {
  it('measures every contender once per round', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which contender goes first, so neither always runs on a cooler machine.
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const contender of order) await oneRound(contender);
    }
    expect(millis.size).toBeGreaterThan(0);
  }, 3_600_000);
});
