import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pull } from '../support/native-api';
import { Topology, startCluster, startEmbedded } from '../support/topology';
import { pushBigImage } from '../support/big-image';
import { ROUNDS, skopeoPull, timed, median } from './bench-support';

const WARM_ROUNDS = Number(process.env['BENCH_WARM_ROUNDS'] ?? 50);

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;
const report: string[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-'));
}, 300_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

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
  await res.text();
  if (res.status !== 200) throw new Error(`pull answered ${res.status}`);
}

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)(
  'pull benchmark, %s topology (ratios against skopeo in the same process tree)',
  (name, start) => {
    let stevedore: Topology;
    beforeAll(async () => {
      stevedore = await start();
    }, 120_000);
    afterAll(async () => stevedore?.stop());

    it('cold pulls of a 64 MB image: Stevedore vs skopeo copy', async () => {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        // A new image each round (other seeds), so every round downloads every byte.
        const { reference: ref } = await pushBigImage(
          registry.host,
          `bench/${name}-${round}`,
          64 * 1024 * 1024,
          1000 + round * 10,
        );
        theirs.push(await timed(() => skopeoPull(ref, join(scratch, `skopeo-${round}`))));
        ours.push(await timed(() => pull(stevedore.url, ref)));
        await fetch(`${stevedore.url}/api/v1/images/${ref}`, { method: 'DELETE' });
      }
      const ratio = median(ours) / median(theirs);
      report.push(
        `[${name}] cold pull 64 MB: stevedore ${median(ours).toFixed(0)} ms, skopeo ${median(theirs).toFixed(0)} ms, ratio ${ratio.toFixed(2)} (median of ${ROUNDS})`,
      );
      expect(ours).toHaveLength(ROUNDS);
    }, 600_000);

    it('`docker pull` of an image already present: gateway time', async () => {
      await enginePull(stevedore.url, fixtures.busybox.reference);
      const warm: number[] = [];
      for (let round = 0; round < WARM_ROUNDS; round += 1)
        warm.push(await timed(() => enginePull(stevedore.url, fixtures.busybox.reference)));
      const sorted = [...warm].sort((a, b) => a - b);
      const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? NaN;
      report.push(
        `[${name}] up-to-date pull of busybox: median ${median(warm).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (budget 100 ms; ${WARM_ROUNDS} rounds)`,
      );
      expect(warm).toHaveLength(WARM_ROUNDS);
    }, 300_000);
  },
);
