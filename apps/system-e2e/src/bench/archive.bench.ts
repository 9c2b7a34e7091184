import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SKOPEO } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { Topology, startEmbedded } from '../support/topology';
import { ArchiveFixture, buildArchiveFixture, startArchiveServer } from './archive-fixture';
import { ROUNDS, docker, median, mib, ms, procKib, run, tcp, timed } from './bench-support';

/** The workload: 8 gzip layers of seeded random bytes, ~540 MB in all. */
const LAYERS = 8;
const LAYER_BYTES = Number(process.env['BENCH_LAYER_BYTES'] ?? 67.5 * 1024 * 1024);

let scratch: string;
let fixture: ArchiveFixture;
const report: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(process.env['BENCH_TMPDIR'] ?? tmpdir(), 'stevedore-archive-'));
  fixture = await buildArchiveFixture(join(scratch, 'fixture'), LAYERS, LAYER_BYTES);
}, 600_000);

afterAll(async () => {
  await killAllApps();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

/** measured runs `argv` under GNU time, answering its duration and its peak RSS (KiB). */
async function measured(argv: string[]): Promise<{ ms: number; kib: number }> {
  const rss = join(scratch, 'rss.txt');
  const took = await timed(() => run('/usr/bin/time', ['-f', '%M', '-o', rss, ...argv]));
  return { ms: took, kib: Number((await readFile(rss, 'utf8')).trim()) };
}

function line(what: string, ours: number[], peer: number[], peerName: string, rss: string) {
  const ratio = median(ours) / median(peer);
  return `[embedded] ${what}: stevedore ${ms(median(ours))}, ${peerName} ${ms(median(peer))}, ratio ${ratio.toFixed(2)} (median of ${ours.length}); ${rss}`;
}

const load = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');

describe('archive benchmark, embedded topology (ratios against skopeo and cat in the same run)', () => {
  it('docker load of the 540 MB archive into a fresh store vs skopeo copy docker-archive: → oci:', async () => {
    const ours: number[] = [];
    const theirs: number[] = [];
    const ourRss: number[] = [];
    const theirRss: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const target = join(scratch, `skopeo-${round}`);
      const skopeo = await measured([
        SKOPEO,
        'copy',
        '--quiet',
        `docker-archive:${fixture.archive}`,
        `oci:${target}:x`,
      ]);
      theirs.push(skopeo.ms);
      theirRss.push(skopeo.kib);
      await rm(target, { recursive: true, force: true });
      const stevedore: Topology = await startEmbedded();
      try {
        ours.push(
          await timed(() => docker(tcp(stevedore.url), 'load', '-q', '-i', fixture.archive)),
        );
        ourRss.push(await procKib(stevedore.processes.get('stevedore')?.pid ?? 0, 'VmHWM'));
      } finally {
        await stevedore.stop();
      }
    }
    report.push(
      line(
        `docker load ${mib(fixture.bytes / 1024)}`,
        ours,
        theirs,
        'skopeo',
        `peak RSS stevedore ${mib(Math.max(...ourRss))}, skopeo ${mib(Math.max(...theirRss))}; loadavg ${await load()}`,
      ),
    );
    expect(ours).toHaveLength(ROUNDS);
  }, 1_800_000);

  it('docker save of the 540 MB image vs cat of its blob files into one file', async () => {
    const root = await mkdtemp(join(scratch, 'store-'));
    const loading = await startEmbedded(root);
    await docker(tcp(loading.url), 'load', '-q', '-i', fixture.archive);
    await loading.stop();
    // A fresh process, so its peak RSS is the saves' (and start-up's) alone.
    const stevedore = await startEmbedded(root);
    const host = tcp(stevedore.url);
    const blobs = fixture.digests.map((d) => join(root, 'content', 'blobs', 'sha256', d.slice(7)));
    const ours: number[] = [];
    const theirs: number[] = [];
    const floor: number[] = [];
    const catRss: number[] = [];
    // The same CLI against a server that only streams a finished archive: the floor through HTTP.
    const saved = join(scratch, 'saved.tar');
    await docker(host, 'save', '-o', saved, fixture.reference);
    const server = await startArchiveServer(saved);
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const catOut = join(scratch, `cat-${round}.tar`);
        const cat = await measured([
          'sh',
          '-c',
          'out="$1"; shift; cat "$@" > "$out"',
          'cat',
          catOut,
          ...blobs,
        ]);
        theirs.push(cat.ms);
        catRss.push(cat.kib);
        await rm(catOut, { force: true });
        const saveOut = join(scratch, `save-${round}.tar`);
        ours.push(await timed(() => docker(host, 'save', '-o', saveOut, fixture.reference)));
        await rm(saveOut, { force: true });
        const floorOut = join(scratch, `floor-${round}.tar`);
        floor.push(await timed(() => docker(tcp(server.url), 'save', '-o', floorOut, 'x')));
        await rm(floorOut, { force: true });
      }
      const rss = await procKib(stevedore.processes.get('stevedore')?.pid ?? 0, 'VmHWM');
      report.push(
        line(
          `docker save ${mib(fixture.bytes / 1024)}`,
          ours,
          theirs,
          'cat',
          `peak RSS stevedore ${mib(rss)}, cat ${mib(Math.max(...catRss))}; loadavg ${await load()}`,
        ),
        line(`docker save ${mib(fixture.bytes / 1024)}`, ours, floor, 'static archive server', ''),
      );
    } finally {
      await server.close();
      await stevedore.stop();
    }
    expect(ours).toHaveLength(ROUNDS);
  }, 1_800_000);
});
