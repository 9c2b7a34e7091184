import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllApps } from '../support/app-process';
import { Topology, startCluster, startEmbedded } from '../support/topology';
import { ROUNDS, docker, median, mib, ms, procKib, tcp, timed } from './bench-support';
import { StaticReplay, seedImages, startStaticReplay } from './images-list-fixture';

const IMAGES = Number(process.env['BENCH_IMAGES'] ?? 10_000);
/** The API version the docker CLI here speaks (28.x): the same request the CLI makes. */
const LIST = '/v1.50/images/json';

let scratch: string;
const report: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'stevedore-images-'));
});

afterAll(async () => {
  await killAllApps();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

async function body(url: string): Promise<Buffer> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return bytes;
}

const loadavg = async () =>
  (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');

/** alternate times `ours` and `theirs` in turn, `ROUNDS` times each, after one untimed warm-up of each. */
async function alternate(ours: () => Promise<unknown>, theirs: () => Promise<unknown>) {
  await ours();
  await theirs();
  const times = { ours: [] as number[], theirs: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    times.theirs.push(await timed(theirs));
    times.ours.push(await timed(ours));
  }
  return times;
}

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)(
  'images list benchmark with %s topology (ratios against a static server)',
  (name, start) => {
    let stevedore: Topology;
    let replay: StaticReplay;

    beforeAll(async () => {
      stevedore = await start();
      // SQLite takes a second writer; the daemon reads the listing from the database each time.
      await seedImages(stevedore.dataRoot, IMAGES);
      replay = await startStaticReplay(stevedore.url);
    }, 600_000);

    afterAll(async () => {
      await replay?.close();
      await stevedore?.stop();
    });

    const peakRss = async () => {
      const peaks = await Promise.all(
        [...stevedore.processes].map(
          async ([n, p]) => `${n} ${mib(await procKib(p.pid ?? 0, 'VmHWM'))}`,
        ),
      );
      return peaks.join(', ');
    };

    it(`GET ${LIST} with ${IMAGES} images vs a static server of the same bytes`, async () => {
      const [fromUs, fromStatic] = [
        await body(stevedore.url + LIST),
        await body(replay.url + LIST),
      ];
      expect(fromUs.equals(fromStatic)).toBe(true);
      expect((JSON.parse(fromUs.toString('utf8')) as unknown[]).length).toBe(IMAGES);
      const times = await alternate(
        () => body(stevedore.url + LIST),
        () => body(replay.url + LIST),
      );
      const ratio = median(times.ours) / median(times.theirs);
      report.push(
        `[${name}] GET /images/json, ${IMAGES} images (${mib(fromUs.length / 1024)}): stevedore ${ms(median(times.ours))}, static ${ms(median(times.theirs))}, ratio ${ratio.toFixed(2)} (median of ${ROUNDS}); peak RSS ${await peakRss()}; loadavg ${await loadavg()}`,
      );
    }, 600_000);

    it(`GET ${LIST} right after each change (no listing to reuse) vs the static server`, async () => {
      const ours: number[] = [];
      const theirs: number[] = [];
      const newest = (
        JSON.parse((await body(stevedore.url + LIST)).toString('utf8')) as { Id: string }[]
      )[0];
      for (let round = 0; round < ROUNDS; round += 1) {
        theirs.push(await timed(() => body(replay.url + LIST)));
        // A new tag changes the listing's version: this answer is built from the database again.
        await docker(tcp(stevedore.url), 'tag', newest?.Id ?? '', `bench/changed:${round}`);
        ours.push(await timed(() => body(stevedore.url + LIST)));
      }
      // Back to the bytes the static server replays, for the CLI comparison after this.
      for (let round = 0; round < ROUNDS; round += 1)
        await docker(tcp(stevedore.url), 'rmi', `bench/changed:${round}`);
      const ratio = median(ours) / median(theirs);
      report.push(
        `[${name}] GET /images/json after a change, ${IMAGES} images: stevedore ${ms(median(ours))}, static ${ms(median(theirs))}, ratio ${ratio.toFixed(2)} (median of ${ROUNDS}); loadavg ${await loadavg()}`,
      );
      expect(ours).toHaveLength(ROUNDS);
    }, 600_000);

    it(`docker images with ${IMAGES} images vs the same CLI against the static server`, async () => {
      const ours = tcp(stevedore.url);
      const theirs = tcp(replay.url);
      const [a, b] = [await docker(ours, 'images'), await docker(theirs, 'images')];
      expect(a.stdout).toBe(b.stdout);
      const times = await alternate(
        () => docker(ours, 'images'),
        () => docker(theirs, 'images'),
      );
      const ratio = median(times.ours) / median(times.theirs);
      report.push(
        `[${name}] docker images, ${IMAGES} images: stevedore ${ms(median(times.ours))}, static ${ms(median(times.theirs))}, ratio ${ratio.toFixed(2)} (median of ${ROUNDS}); peak RSS ${await peakRss()}; loadavg ${await loadavg()}`,
      );
    }, 600_000);
  },
);
