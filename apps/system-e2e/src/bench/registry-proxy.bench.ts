import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pushBigImage } from '../support/big-image';
import { Topology, startEmbedded } from '../support/topology';
import { median, ROUNDS, skopeoPull, timed } from './bench-support';

const SIZE = Number(process.env['BENCH_PROXY_MB'] ?? 128) * 1024 * 1024;

/** BENCH_BASELINE names another build's apps directory (e.g. main's dist/apps): its pull-through runs too. */
const BASELINE = process.env['BENCH_BASELINE'];

let upstream: RegistryHandle;
let stevedore: Topology;
let baseline: Topology | undefined;
let scratch: string;
const report: string[] = [];

beforeAll(async () => {
  upstream = await startRegistry();
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-proxy-'));
  // Docker Hub names reach the upstream through Stevedore's registry-mirrors, as a fleet mirror's would.
  const daemonConfig = { 'registry-mirrors': [upstream.url], 'registry-proxy': true };
  stevedore = await startEmbedded(undefined, { daemonConfig });
  if (BASELINE) baseline = await startEmbedded(undefined, { daemonConfig, dist: BASELINE });
}, 300_000);

afterAll(async () => {
  await stevedore?.stop();
  await baseline?.stop();
  await killAllApps();
  await upstream?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

describe('pull-through benchmark (ratio against a direct pull from the upstream, same run)', () => {
  it('cold pull-through vs a direct skopeo pull from the upstream', async () => {
    const hosts: [string, string][] = [
      ['direct', upstream.host],
      ['proxied', new URL(stevedore.registry).host],
      ...(baseline ? [['baseline', new URL(baseline.registry).host] as [string, string]] : []),
    ];
    const times = new Map(hosts.map(([name]) => [name, [] as number[]]));
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // A new image each round (other seeds): the pull-through is cold every round.
      await pushBigImage(upstream.host, `library/proxybench-${round}`, SIZE, 5000 + round * 10);
      loads.push(loadavg()[0] ?? NaN);
      // Rotate which contender goes first, so none always meets the warmer page cache.
      for (let i = 0; i < hosts.length; i += 1) {
        const [name, host] = hosts[(round + i) % hosts.length] as [string, string];
        const dir = join(scratch, `${name}-${round}`);
        times
          .get(name)
          ?.push(await timed(() => skopeoPull(`${host}/library/proxybench-${round}:v1`, dir)));
        await rm(dir, { recursive: true, force: true });
      }
    }
    const direct = median(times.get('direct') ?? []);
    const line = (name: string) =>
      `${name} ${median(times.get(name) ?? []).toFixed(0)} ms (ratio ${(median(times.get(name) ?? []) / direct).toFixed(2)}; rounds ${(times.get(name) ?? []).map((v) => v.toFixed(0)).join(',')})`;
    report.push(
      `[pull-through] cold ${SIZE >> 20} MB image, median of ${ROUNDS}, goal <= 1.1: ` +
        `${hosts.map(([name]) => line(name)).join('; ')}; load ${loads.map((l) => l.toFixed(2)).join('/')}`,
    );
    expect(times.get('proxied')).toHaveLength(ROUNDS);
  }, 1_200_000);
});
