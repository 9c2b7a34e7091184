import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { Dockerd, dockerdAvailable, startDockerd } from '../support/dockerd';
import { Topology, startEmbedded } from '../support/topology';
import { ROUNDS, docker, tcp, timed, median, ms } from './bench-support';

// Issue 12's benchmark: a cold (--no-cache) and a cached build of a 6-step Dockerfile, Stevedore
// (embedded) beside dockerd 20.10's classic builder in the same run, alternating, medians.

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;
let stevedore: Topology;
let dockerd: Dockerd | undefined;
const report: string[] = [];

/** The 6 steps: two metadata-only, a 1 MB COPY, a RUN that reads it, CMD. */
function dockerfile(base: string): string {
  return [
    `FROM ${base}`,
    'ENV APP=/app',
    'WORKDIR /app',
    'COPY data.bin /app/data.bin',
    'RUN sha256sum data.bin > sum.txt',
    'CMD ["cat", "sum.txt"]',
  ].join('\n');
}

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-bench-build-'));
  stevedore = await startEmbedded();
  if (dockerdAvailable()) dockerd = await startDockerd();
  await writeFile(join(scratch, 'Dockerfile'), dockerfile(fixtures.busybox.reference));
  await writeFile(join(scratch, 'data.bin'), randomBytes(1 << 20));
  await docker(tcp(stevedore.url), 'pull', fixtures.busybox.reference);
  if (dockerd) await docker(dockerd.host, 'pull', fixtures.busybox.reference);
}, 600_000);

afterAll(async () => {
  await stevedore?.stop();
  await dockerd?.stop();
  await killAllApps();
  await registry?.stop();
  await rm(scratch, { recursive: true, force: true });
  process.stdout.write(`\n${report.join('\n')}\n`);
});

it('docker build of a 6-step Dockerfile, cold and cached: Stevedore beside dockerd 20.10', async () => {
  const hosts: [string, string][] = [['stevedore', tcp(stevedore.url)]];
  if (dockerd) hosts.unshift(['dockerd', dockerd.host]);
  const times: Record<string, number[]> = {};
  const build = (host: string, ...flags: string[]) =>
    docker(host, 'build', '--network', 'none', '-q', ...flags, '-t', 'bench:build', scratch);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, host] of hosts) {
      (times[`${name} cold`] ??= []).push(await timed(() => build(host, '--no-cache')));
      (times[`${name} cached`] ??= []).push(await timed(() => build(host)));
    }
  }
  const line = (kind: 'cold' | 'cached') => {
    const ours = median(times[`stevedore ${kind}`] as number[]);
    const theirs = dockerd ? median(times[`dockerd ${kind}`] as number[]) : NaN;
    const ratio = dockerd ? ` (${(ours / theirs).toFixed(2)} × dockerd ${ms(theirs)})` : '';
    return `${kind} ${ms(ours)}${ratio}`;
  };
  report.push(
    `docker build, 6 steps (1 MB COPY, one RUN), median of ${ROUNDS}: stevedore ${line('cold')}; ${line('cached')}` +
      (dockerd ? '' : '; dockerd not run'),
  );
  expect(times['stevedore cold']).toHaveLength(ROUNDS);
}, 1_800_000);
