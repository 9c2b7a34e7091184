import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { FamilyImage, pushImageFamily } from './support/image-family';
import { Topology, startEmbedded } from './support/topology';

// Issue 13, item 10 (c): the pull stream as dockerd words it. `Downloading` rows carry the bar
// the CLI draws, and a layer the store already holds says `Already exists` without first saying
// `Pulling fs layer`.
const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let family: FamilyImage[];
let scratch: string;
let stevedore: Topology;
let env: Record<string, string>;
const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
const short = (digest: string): string => digest.slice(7, 19);

beforeAll(async () => {
  registry = await startRegistry();
  family = await pushImageFamily(registry.host, 'e2e/progress', 2);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-progress-'));
  stevedore = await startEmbedded();
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    DOCKER_CONFIG: scratch,
    DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
  };
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('`Downloading` messages carry the progress bar dockerd renders', async () => {
  const [name, tag] = (family[0]?.reference ?? '').split(/:(?=[^:/]+$)/);
  const query = new URLSearchParams({ fromImage: name ?? '', tag: tag ?? '' });
  const res = await fetch(`${stevedore.url}/v1.50/images/create?${query}`, { method: 'POST' });
  const messages = (await res.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const downloading = messages.filter((m) => m['status'] === 'Downloading');
  expect(downloading.length).toBeGreaterThan(0);
  for (const m of downloading) {
    const { current, total } = m['progressDetail'] as { current: number; total: number };
    const filled = Math.trunc(Math.trunc((current / total) * 100) / 2);
    expect(m['progress']).toMatch(/^\[=*> *\] +[0-9.]+[kMG]?B\/[0-9.]+[kMG]?B$/);
    expect((m['progress'] as string).indexOf('>')).toBe(filled + 1);
    expect(Object.keys(m)).toEqual(['status', 'progressDetail', 'progress', 'id']);
  }
});

it('layers already stored show `Already exists` and never `Pulling fs layer`', async () => {
  const second = family[1] as FamilyImage;
  const result = await docker('pull', second.reference);
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n');
  const [base1, base2, own] = second.layers.map(short);
  for (const id of [base1, base2]) {
    expect(lines).toContain(`${id}: Already exists`);
    expect(lines).not.toContain(`${id}: Pulling fs layer`);
  }
  expect(lines).toContain(`${own}: Pulling fs layer`);
  expect(lines).toContain(`${own}: Pull complete`);
});
