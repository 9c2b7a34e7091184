import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pushBigImage } from '../support/big-image';
import { Topology, startEmbedded } from '../support/topology';
import { median, ROUNDS, skopeoPull, timed } from './bench-support';

const SIZE = Number(process.env['BENCH_PROXY_MB'] ?? 128) * 1024 * 1024;

let upstream: RegistryHandle;
let stevedore: Topology;
let scratch: string;
const report: string[] = [];

beforeAll(async () => {
  upstream = await startRegistry();
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-proxy-'));
  // Docker Hub names reach the upstream through Stevedore's registry-mirrors, as a fleet mirror's would.
  stevedore = await startEmbedded(undefined, {
    daemonConfig: { 'registry-mirrors': [upstream.url], 'registry-proxy': true },
  });
}, 300_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await upstream?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

describe('pull-through benchmark (ratio against a direct pull from the upstream, same run)', () => {
  it('cold pull-through vs a direct skopeo pull from the upstream', async () => {
    const proxied: number[] = [];
    const direct: number[] = [];
    const registryHost = new URL(stevedore.registry).host;
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // A new image each round (other seeds): the pull-through is cold every round.
      await pushBigImage(upstream.host, `library/proxybench-${round}`, SIZE, 5000 + round * 10);
      const viaUpstream = () =>
        skopeoPull(`${upstream.host}/library/proxybench-${round}:v1`, join(scratch, `d${round}`));
      const viaProxy = () =>
        skopeoPull(`${registryHost}/library/proxybench-${round}:v1`, join(scratch, `p${round}`));
      loads.push(loadavg()[0] ?? NaN);
      // Alternate which contender goes first, so neither always meets the warmer page cache.
      if (round % 2 === 0) {
        direct.push(await timed(viaUpstream));
        proxied.push(await timed(viaProxy));
      } else {
        proxied.push(await timed(viaProxy));
        direct.push(await timed(viaUpstream));
      }
      await rm(join(scratch, join(scratch, `d${round}`)), { recursive: true, force: true });
      await rm(join(scratch, join(scratch, `p${round}`)), { recursive: true, force: true });
    }
    const ratio = median(proxied) / median(direct);
    report.push(
      `[pull-through] cold ${SIZE >> 20} MB image: via Stevedore ${median(proxied).toFixed(0)} ms, ` +
        `direct from upstream ${median(direct).toFixed(0)} ms, ratio ${ratio.toFixed(2)} ` +
        `(goal <= 1.1; median of ${ROUNDS}; load ${loads.map((l) => l.toFixed(2)).join('/')}; ` +
        `rounds proxied ${proxied.map((v) => v.toFixed(0)).join(',')} direct ${direct.map((v) => v.toFixed(0)).join(',')})`,
    );
    expect(proxied).toHaveLength(ROUNDS);
  }, 1_200_000);
});
