import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { Dockerd, dockerdAvailable, startDockerd } from '../support/dockerd';
import { Topology, startEmbedded } from '../support/topology';
import { RootfsImage, buildRootfsImage } from './rootfs-image';
import { run, ROUNDS, docker, tcp, timed, median, ms } from './bench-support';

const RUN_ROUNDS = Number(process.env['BENCH_RUN_ROUNDS'] ?? 15);
const ROOTFS_MB = Number(process.env['BENCH_ROOTFS_MB'] ?? 540);

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;
let stevedore: Topology;
let dockerd: Dockerd | undefined;
let image: RootfsImage;
const report: string[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-run-'));
  stevedore = await startEmbedded();
  if (dockerdAvailable()) dockerd = await startDockerd();
  image = await buildRootfsImage(join(scratch, 'image'), registry.host, ROOTFS_MB);
  await docker(tcp(stevedore.url), 'pull', fixtures.busybox.reference);
  await docker(tcp(stevedore.url), 'pull', image.reference);
  if (dockerd) await docker(dockerd.host, 'pull', fixtures.busybox.reference);
}, 900_000);

afterAll(async () => {
  await stevedore?.stop();
  await dockerd?.stop();
  await killAllApps();
  await registry?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

it('`docker run --rm busybox true`: Stevedore beside dockerd 20.10, alternating', async () => {
  const times: Record<string, number[]> = { dockerd: [], none: [], bridge: [] };
  const runs: [string, string, string[]][] = [
    ['none', tcp(stevedore.url), ['--network', 'none']],
    ['bridge', tcp(stevedore.url), []],
  ];
  if (dockerd) runs.unshift(['dockerd', dockerd.host, ['--network', 'none']]);
  for (let round = 0; round < RUN_ROUNDS; round++) {
    for (const [name, host, flags] of runs) {
      const args = ['run', '--rm', ...flags, fixtures.busybox.reference, 'true'];
      (times[name] as number[]).push(await timed(() => docker(host, ...args)));
    }
  }
  const theirs = median(times['dockerd'] as number[]);
  const line = (name: string) => {
    const ours = median(times[name] as number[]);
    return `${ms(ours)}${dockerd ? ` (${(ours / theirs).toFixed(2)} × dockerd)` : ''}`;
  };
  report.push(
    `docker run --rm busybox true, median of ${RUN_ROUNDS}: dockerd --network none ${dockerd ? ms(theirs) : 'not run'}; ` +
      `stevedore --network none ${line('none')}; stevedore bridge ${line('bridge')}`,
  );
  expect(times['none']).toHaveLength(RUN_ROUNDS);
}, 600_000);

/** floor unpacks the image's layer blobs with `tar -xzf`, one after another, into a fresh dir. */
async function floor(round: number): Promise<void> {
  const dir = join(scratch, `floor-${round}`);
  await mkdir(dir);
  for (const layer of image.layerPaths) await run('tar', ['-xzf', layer, '-C', dir]);
  await run('sync', ['-f', dir]);
}

it(`the root of a fresh container of a ${ROOTFS_MB} MB image against tar -xzf of its layers`, async () => {
  const host = tcp(stevedore.url);
  const ours: number[] = [];
  const warm: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    theirs.push(await timed(() => floor(round)));
    await rm(join(scratch, `floor-${round}`), { recursive: true, force: true });
    ours.push(await timed(() => docker(host, 'create', '--name', `cold${round}`, image.reference)));
    warm.push(await timed(() => docker(host, 'create', '--name', `warm${round}`, image.reference)));
    await docker(host, 'rm', `cold${round}`, `warm${round}`);
    // Cold again: the image stays, its unpacked layers go (nothing holds them now).
    await rm(join(stevedore.dataRoot, 'snapshots', 'sha256'), { recursive: true, force: true });
  }
  const ratio = median(ours) / median(theirs);
  report.push(
    `container root of the ${(image.bytes / 1e6).toFixed(0)} MB image (8 gzip layers), median of ${ROUNDS}: ` +
      `docker create ${ms(median(ours))} cold, ${ms(median(warm))} with the layers unpacked; ` +
      `tar -xzf floor ${ms(median(theirs))}; ratio ${ratio.toFixed(2)}`,
  );
  expect(ours).toHaveLength(ROUNDS);
}, 1_800_000);
