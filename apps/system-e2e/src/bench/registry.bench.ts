import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryHandle, SKOPEO, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pushBigImage } from '../support/big-image';
import { Topology, startCluster, startEmbedded } from '../support/topology';
import { BASELINE, ROUNDS, chosen, median, ms, run, skopeoPull, timed } from './bench-support';

/** The bench image's large layer (plus a 1 MiB one): ~540 MB in all, as the benchmark asks. */
const BIG_MB = Number(process.env['BENCH_REGISTRY_MB'] ?? 539);

type Run = [string, () => Promise<Topology>];
const baselines: Run[] = BASELINE
  ? [
      ['embedded baseline', () => startEmbedded(undefined, { dist: BASELINE })],
      ['cluster baseline', () => startCluster({ dist: BASELINE })],
    ]
  : [];
const runs: Run[] = [
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
  ...baselines,
];
const topologies = runs.filter(([name]) => chosen(name));

let upstream: RegistryHandle;
let scratch: string;
let reference: string;
const report: string[] = [];

beforeAll(async () => {
  upstream = await startRegistry();
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-registry-'));
  ({ reference } = await pushBigImage(upstream.host, 'bench/big', BIG_MB * 1024 * 1024, 5400));
}, 600_000);

afterAll(async () => {
  await killAllApps();
  await upstream?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

/** pullAndDrop is skopeoPull into a layout of the scratch directory, removed afterwards. */
async function pullAndDrop(source: string, into: string): Promise<void> {
  const dir = join(scratch, into);
  await skopeoPull(source, dir);
  await rm(dir, { recursive: true, force: true });
}

describe.each(topologies)(
  'registry face benchmark, %s topology (ratio against the CNCF registry)',
  (name, start) => {
    let stevedore: Topology;
    let ours: string;

    beforeAll(async () => {
      stevedore = await start();
      const host = stevedore.registry.replace(/^http:\/\//, '');
      ours = `${host}/bench/big:1`;
      // Into Stevedore through its own /v2/ (a push), from the same bytes the peer serves.
      await run(SKOPEO, [
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        `docker://${reference}`,
        `docker://${ours}`,
      ]);
    }, 900_000);
    afterAll(async () => stevedore?.stop());

    it(`skopeo pulls the ${BIG_MB + 1} MB image: Stevedore's /v2/ vs the CNCF registry`, async () => {
      const stevedoreTimes: number[] = [];
      const cncfTimes: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        // Alternate who goes first, so neither always finds the page cache warmed by the other.
        const order = round % 2 === 0 ? ['cncf', 'stevedore'] : ['stevedore', 'cncf'];
        for (const who of order) {
          if (who === 'cncf')
            cncfTimes.push(await timed(() => pullAndDrop(reference, `c-${round}`)));
          else stevedoreTimes.push(await timed(() => pullAndDrop(ours, `s-${round}`)));
        }
      }
      const ratio = median(stevedoreTimes) / median(cncfTimes);
      report.push(
        `[${name}] skopeo pull ${BIG_MB + 1} MB: stevedore /v2/ ${ms(median(stevedoreTimes))}, CNCF registry ${ms(median(cncfTimes))}, ratio ${ratio.toFixed(2)} (goal <= 1.0; median of ${ROUNDS}; stevedore ${stevedoreTimes.map(ms).join(', ')}; cncf ${cncfTimes.map(ms).join(', ')})`,
      );
      expect(stevedoreTimes).toHaveLength(ROUNDS);
    }, 1_800_000);
  },
);
