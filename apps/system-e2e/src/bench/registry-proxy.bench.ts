import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pushBigImage } from '../support/big-image';
import { Topology, startEmbedded } from '../support/topology';
import { BASELINE, chosen, median, procCpuMs, ROUNDS, skopeoPull, timed } from './bench-support';
import { PipeProxy, startPipeProxy, startSocatPipe } from './pipe-proxy';

const SIZE = Number(process.env['BENCH_PROXY_MB'] ?? 128) * 1024 * 1024;

let upstream: RegistryHandle;
let stevedore: Topology;
let baseline: Topology | undefined;
/**
 * Peers: the CNCF registry's own pull-through cache, a bare HTTP byte pipe in Node, and socat
 * relaying TCP in C (the cost of a hop itself on this machine).
 */
let cncfProxy: RegistryHandle;
let pipe: PipeProxy;
let socat: PipeProxy;
let scratch: string;
const report: string[] = [];

beforeAll(async () => {
  upstream = await startRegistry();
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-proxy-'));
  // Docker Hub names reach the upstream through Stevedore's registry-mirrors, as a fleet mirror's would.
  const daemonConfig = { 'registry-mirrors': [upstream.url], 'registry-proxy': true };
  stevedore = await startEmbedded(undefined, { daemonConfig });
  cncfProxy = await startRegistry({ proxyRemoteUrl: upstream.url });
  pipe = await startPipeProxy(upstream.host);
  socat = await startSocatPipe(upstream.host);
  if (BASELINE) baseline = await startEmbedded(undefined, { daemonConfig, dist: BASELINE });
}, 300_000);

afterAll(async () => {
  await stevedore?.stop();
  await baseline?.stop();
  await killAllApps();
  await cncfProxy?.stop();
  await pipe?.stop();
  await socat?.stop();
  await upstream?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

/** A contender: where skopeo pulls from, and the Stevedore process whose CPU the pull costs. */
interface Contender {
  name: string;
  host: string;
  pid?: number | undefined;
}

const contenderOf = (name: string, topology: Topology): Contender => ({
  name,
  host: new URL(topology.registry).host,
  pid: topology.processes.get('stevedore')?.pid,
});

/** pullOnce times one cold pull, and the CPU the contender's Stevedore process spent on it. */
async function pullOnce(contender: Contender, reference: string, dir: string) {
  const cpu = async () => (contender.pid ? procCpuMs(contender.pid) : 0);
  const before = await cpu();
  const ms = await timed(() => skopeoPull(`${contender.host}/${reference}`, dir));
  const cpuMs = (await cpu()) - before;
  await rm(dir, { recursive: true, force: true });
  return { ms, cpuMs };
}

describe('pull-through benchmark (ratio against a direct pull from the upstream, same run)', () => {
  it('cold pull-through vs a direct skopeo pull from the upstream', async () => {
    const contenders: Contender[] = [
      { name: 'direct', host: upstream.host },
      contenderOf('proxied', stevedore),
      { name: 'cncf-proxy', host: cncfProxy.host },
      { name: 'pipe', host: pipe.host },
      { name: 'socat', host: socat.host },
      ...(baseline ? [contenderOf('baseline', baseline)] : []),
    ].filter(({ name }) => name === 'direct' || chosen(name));
    const times = new Map(contenders.map(({ name }) => [name, [] as number[]]));
    const cpus = new Map(contenders.map(({ name }) => [name, [] as number[]]));
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // A new image each round (other seeds): the pull-through is cold every round.
      await pushBigImage(upstream.host, `library/proxybench-${round}`, SIZE, 5000 + round * 10);
      loads.push(loadavg()[0] ?? NaN);
      // Rotate which contender goes first, so none always meets the warmer page cache.
      for (let i = 0; i < contenders.length; i += 1) {
        const contender = contenders[(round + i) % contenders.length] as Contender;
        const reference = `library/proxybench-${round}:v1`;
        const { ms, cpuMs } = await pullOnce(contender, reference, join(scratch, `${round}`));
        times.get(contender.name)?.push(ms);
        cpus.get(contender.name)?.push(cpuMs);
      }
    }
    const direct = median(times.get('direct') ?? []);
    const line = ({ name, pid }: Contender) => {
      const took = times.get(name) ?? [];
      const cpu = pid ? `, Stevedore CPU ${median(cpus.get(name) ?? []).toFixed(0)} ms` : '';
      return `${name} ${median(took).toFixed(0)} ms (ratio ${(median(took) / direct).toFixed(2)}${cpu}; rounds ${took.map((v) => v.toFixed(0)).join(',')})`;
    };
    report.push(
      `[pull-through] cold ${SIZE >> 20} MB image, median of ${ROUNDS}, goal <= 1.1: ` +
        `${contenders.map(line).join('; ')}; load ${loads.map((l) => l.toFixed(2)).join('/')}`,
    );
    expect(times.get('proxied')).toHaveLength(ROUNDS);
  }, 1_200_000);
});
