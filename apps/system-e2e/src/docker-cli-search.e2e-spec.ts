import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, TopologyOptions, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';

let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-search-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe.each([
  ['embedded', (o: TopologyOptions) => startEmbedded(undefined, o)],
  ['cluster', (o: TopologyOptions) => startCluster(o)],
] as const)('docker search against the %s topology', (_name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

  beforeAll(async () => {
    // The testbed registry is a configured registry, so its catalog is searched.
    stevedore = await start({ daemonConfig: { 'insecure-registries': [registry.host] } });
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DOCKER_CONFIG: home,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  it('finds a repository of the configured registry’s catalog', async () => {
    const result = await docker('search', '--format', '{{.Name}}', 'busy');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toContain(`${registry.host}/library/busybox`);
  });

  it('searches the registry a term names, and applies limit and filters server-side', async () => {
    const all = await docker('search', '--format', '{{.Name}}', `${registry.host}/e`);
    expect(lines(all.stdout).length).toBeGreaterThan(1);
    expect(lines(all.stdout).every((n) => n.startsWith(`${registry.host}/`))).toBe(true);
    const one = await docker(
      'search',
      '--limit',
      '1',
      '--format',
      '{{.Name}}',
      `${registry.host}/e`,
    );
    expect(lines(one.stdout)).toHaveLength(1);
    const starred = await docker(
      'search',
      '--filter',
      'stars=1',
      '--format',
      '{{.Name}}',
      `${registry.host}/e`,
    );
    expect(lines(starred.stdout)).toEqual([]);
    const bad = await docker('search', '--filter', 'color=red', 'busybox');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("Error response from daemon: invalid filter 'color'\n");
  });

  it('finds what the local store holds', async () => {
    expect((await docker('pull', '-q', fixtures.multiLayer.reference)).code).toBe(0);
    expect((await docker('tag', fixtures.multiLayer.reference, 'local/only-here:1')).code).toBe(0);
    const result = await docker('search', '--format', '{{.Name}}', 'only-here');
    expect(lines(result.stdout)).toEqual(['local/only-here']);
  });
});

// Issue 13, item 10 (e): a mirror holds Docker Hub's repositories, so search lists them under their
// Docker Hub names (what `docker pull` then takes through the mirror), not under the mirror's host.
describe('docker search with registry-mirrors', () => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

  beforeAll(async () => {
    stevedore = await startEmbedded(undefined, {
      daemonConfig: { 'registry-mirrors': [registry.url] },
    });
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DOCKER_CONFIG: home,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  it('lists the mirror’s repositories under their Docker Hub names', async () => {
    const busy = await docker('search', '--format', '{{.Name}} {{.IsOfficial}}', 'busy');
    expect(busy).toMatchObject({ code: 0, stderr: '' });
    expect(lines(busy.stdout)).toEqual(['busybox [OK]']);
    const multi = await docker('search', '--format', '{{.Name}}', 'multi-layer');
    expect(lines(multi.stdout)).toEqual(['test/multi-layer']);
  });

  it('a term naming Docker Hub searches the mirror, and the name pulls through it', async () => {
    const result = await docker('search', '--format', '{{.Name}}', 'docker.io/multi-layer');
    expect(lines(result.stdout)).toEqual(['test/multi-layer']);
    expect((await docker('pull', '-q', 'test/multi-layer:v1')).code).toBe(0);
  });
});
