import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Fixtures,
  MULTI_ARCH_PLATFORMS,
  RegistryHandle,
  pushFixtures,
  startRegistry,
} from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, TopologyOptions, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The top-level keys of dockerd 20.10.24's `GET /v1.41/info` (Debian's docker.io, run here as the oracle).
const DOCKERD_INFO_KEYS = [
  'Architecture',
  'BridgeNfIp6tables',
  'BridgeNfIptables',
  'CPUSet',
  'CPUShares',
  'CgroupDriver',
  'CgroupVersion',
  'ContainerdCommit',
  'Containers',
  'ContainersPaused',
  'ContainersRunning',
  'ContainersStopped',
  'CpuCfsPeriod',
  'CpuCfsQuota',
  'Debug',
  'DefaultRuntime',
  'DockerRootDir',
  'Driver',
  'DriverStatus',
  'ExperimentalBuild',
  'GenericResources',
  'HttpProxy',
  'HttpsProxy',
  'ID',
  'IPv4Forwarding',
  'Images',
  'IndexServerAddress',
  'InitBinary',
  'InitCommit',
  'Isolation',
  'KernelMemory',
  'KernelMemoryTCP',
  'KernelVersion',
  'Labels',
  'LiveRestoreEnabled',
  'LoggingDriver',
  'MemTotal',
  'MemoryLimit',
  'NCPU',
  'NEventsListener',
  'NFd',
  'NGoroutines',
  'Name',
  'NoProxy',
  'OSType',
  'OSVersion',
  'OomKillDisable',
  'OperatingSystem',
  'PidsLimit',
  'Plugins',
  'RegistryConfig',
  'RuncCommit',
  'Runtimes',
  'SecurityOptions',
  'ServerVersion',
  'SwapLimit',
  'Swarm',
  'SystemTime',
  'Warnings',
];

/**
 * What docker-py 5+ users call (`images.get_registry_data`, `info`): prints the answer as JSON, or
 * `{"error": status, "explanation": …}` for an API error.
 */
const DOCKER_PY = `
import json, sys, docker
client = docker.DockerClient(base_url=sys.argv[1], version='1.41')
try:
    if sys.argv[2] == 'info':
        info = client.info()
        print(json.dumps({k: info[k] for k in ['ID', 'Debug', 'ExperimentalBuild', 'NFd', 'NGoroutines', 'SystemTime', 'Labels', 'HttpProxy', 'HttpsProxy', 'NoProxy', 'DockerRootDir']}))
    else:
        auth = {'username': sys.argv[4], 'password': sys.argv[5]} if len(sys.argv) > 5 else None
        data = client.images.get_registry_data(sys.argv[3], auth_config=auth)
        print(json.dumps({'id': data.id, 'attrs': data.attrs, 'amd64': data.has_platform('linux/amd64'), 's390x': data.has_platform('linux/s390x')}))
except docker.errors.APIError as e:
    print(json.dumps({'error': e.status_code, 'explanation': e.explanation}))
`;

let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-info-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

// The testbed registry mirrors Docker Hub: Docker Hub names resolve there, never on the internet.
const mirror = () => registry.url;
const options = (): TopologyOptions => ({
  daemonConfig: {
    'registry-mirrors': [mirror()],
    'insecure-registries': [registry.host, '10.1.0.0/16'],
  },
});

async function dockerPy(url: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runCommand(
    'python3',
    ['-c', DOCKER_PY, url.replace(/^http:/, 'tcp:'), ...args],
    {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
    },
  );
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

function dockerCli(url: string, ...args: string[]): Promise<CommandResult> {
  return runCommand(DOCKER, args, {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: home,
    DOCKER_HOST: url.replace(/^http:/, 'tcp:'),
  });
}

async function cliInfo(url: string): Promise<Record<string, unknown>> {
  const result = await dockerCli(url, 'info', '--format', '{{json .}}');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** platformsOf turns `os/arch[/variant]` strings into the Engine API's platform objects. */
function platformsOf(platforms: readonly string[]): Record<string, string>[] {
  return platforms.map((p) => {
    const [os = '', architecture = '', variant] = p.split('/');
    const platform: Record<string, string> = { architecture, os };
    if (variant) platform['variant'] = variant;
    return platform;
  });
}

/** The distribution cases both topologies run. */
function distributionCases(topology: () => Topology): void {
  it('answers get_registry_data with the index the registry serves and its platforms', async () => {
    const { multiArch } = fixtures;
    const answer = await dockerPy(topology().url, 'registry', multiArch.reference);
    expect(answer['id']).toBe(multiArch.manifestDigest);
    expect(answer['attrs']).toEqual({
      Descriptor: {
        mediaType: multiArch.mediaType,
        digest: multiArch.manifestDigest,
        size: multiArch.manifestSize,
      },
      Platforms: platformsOf(MULTI_ARCH_PLATFORMS),
    });
    expect(answer['amd64']).toBe(true);
    expect(answer['s390x']).toBe(false);
  });

  it('answers a single manifest with the platform its config names', async () => {
    const { busybox } = fixtures;
    const answer = await dockerPy(topology().url, 'registry', busybox.reference);
    expect(answer['attrs']).toEqual({
      Descriptor: {
        mediaType: busybox.mediaType,
        digest: busybox.manifestDigest,
        size: busybox.manifestSize,
      },
      Platforms: [{ architecture: 'amd64', os: 'linux' }],
    });
  });

  it('reads a Docker Hub name from the configured mirror', async () => {
    const answer = await dockerPy(topology().url, 'registry', 'busybox');
    expect(answer['id']).toBe(fixtures.busybox.manifestDigest);
  });

  it('says what dockerd says for an unknown tag and for a full image ID', async () => {
    const unknown = await dockerPy(
      topology().url,
      'registry',
      `${registry.host}/library/busybox:nope`,
    );
    expect(unknown).toEqual({ error: 404, explanation: 'manifest unknown: manifest unknown' });
    const id = await dockerPy(topology().url, 'registry', 'a'.repeat(64));
    expect(id).toEqual({ error: 500, explanation: 'no manifest found for full image ID' });
  });
}

/**
 * The runtime's side of `docker info`, as measured on this host: runc (its commit as `runc
 * --version` prints it), seccomp, json-file logs, and the network modes that work here.
 */
async function expectRuntimeKeys(url: string): Promise<void> {
  const info = await cliInfo(url);
  const commit = /^commit: (\S+)/m.exec(
    (await runCommand('runc', ['--version'], { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }))
      .stdout,
  )?.[1];
  expect(info).toMatchObject({
    DefaultRuntime: 'runc',
    Runtimes: { runc: { path: 'runc' } },
    RuncCommit: { ID: commit, Expected: commit },
    LoggingDriver: 'json-file',
    SecurityOptions: expect.arrayContaining(['name=seccomp,profile=default']),
    Plugins: { Volume: ['local'], Log: ['json-file'] },
  });
  const networks = (info['Plugins'] as { Network: string[] }).Network;
  expect(networks).toEqual(expect.arrayContaining(['host', 'null']));
  const text = await dockerCli(url, 'info');
  expect(text.stdout).toMatch(/^ Default Runtime: runc$/m);
  expect(text.stdout).toMatch(/^ Logging Driver: json-file$/m);
}

describe('engine info and distribution against the embedded topology', () => {
  let root: string;
  let stevedore: Topology;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'stevedore-e2e-info-root-'));
    stevedore = await startEmbedded(root, options());
  }, 120_000);

  afterAll(async () => {
    await stevedore?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  distributionCases(() => stevedore);

  it('shows the configured mirrors and insecure registries, the data root and an ID', async () => {
    const info = await cliInfo(stevedore.url);
    expect(info['ID']).toMatch(UUID_RE);
    expect(info['DockerRootDir']).toBe(root);
    expect(info['RegistryConfig']).toMatchObject({
      Mirrors: [`${mirror()}/`],
      InsecureRegistryCIDRs: ['10.1.0.0/16', '127.0.0.0/8'],
      IndexConfigs: {
        'docker.io': { Name: 'docker.io', Mirrors: [`${mirror()}/`], Secure: true, Official: true },
        [registry.host]: { Name: registry.host, Mirrors: [], Secure: false, Official: false },
      },
    });
  });

  it('says what the runtime can do: runc, seccomp, json-file logs, its networks', () =>
    expectRuntimeKeys(stevedore.url));

  it('answers with dockerd 20.10’s key set', async () => {
    const info = (await (await fetch(`${stevedore.url}/v1.41/info`)).json()) as object;
    expect(Object.keys(info).sort()).toEqual(DOCKERD_INFO_KEYS);
  });

  it('has every key docker-py’s helpers read', async () => {
    const info = await dockerPy(stevedore.url, 'info');
    expect(info).toMatchObject({
      Debug: false,
      ExperimentalBuild: false,
      Labels: [],
      HttpProxy: '',
      HttpsProxy: '',
      NoProxy: '',
      DockerRootDir: root,
    });
    expect(info['NFd']).toBeGreaterThan(0);
    expect(info['NGoroutines']).toBeGreaterThan(0);
    expect(Date.parse(info['SystemTime'] as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reads a registry that needs a login with the credentials sent in X-Registry-Auth', async () => {
    const guarded = await startRegistry({ auth: 'htpasswd' });
    try {
      const { busybox } = await pushFixtures(guarded);
      const { username = '', password = '' } = guarded.credentials ?? {};
      const refused = await dockerPy(stevedore.url, 'registry', busybox.reference);
      expect(refused['error']).toBe(401);
      const answer = await dockerPy(
        stevedore.url,
        'registry',
        busybox.reference,
        username,
        password,
      );
      expect(answer['id']).toBe(busybox.manifestDigest);
    } finally {
      await guarded.stop();
    }
  }, 120_000);

  it('keeps its ID across a restart on the same data root', async () => {
    const before = (await cliInfo(stevedore.url))['ID'];
    expect(before).toMatch(UUID_RE);
    await stevedore.stop();
    stevedore = await startEmbedded(root, options());
    expect((await cliInfo(stevedore.url))['ID']).toBe(before);
  }, 120_000);
});

describe('engine info and distribution against the cluster topology', () => {
  let stevedore: Topology;

  beforeAll(async () => {
    stevedore = await startCluster(options());
  }, 180_000);

  afterAll(async () => stevedore?.stop());

  distributionCases(() => stevedore);

  it('says what the runtime process can do', () => expectRuntimeKeys(stevedore.url));

  it('shows the resolver’s registry settings and an ID that survives a metadata restart', async () => {
    const info = await cliInfo(stevedore.url);
    expect(info['ID']).toMatch(UUID_RE);
    expect(info['DockerRootDir']).toBe(stevedore.dataRoot);
    expect((info['RegistryConfig'] as { Mirrors: string[] }).Mirrors).toEqual([`${mirror()}/`]);
    await stevedore.restart('metadata');
    expect((await cliInfo(stevedore.url))['ID']).toBe(info['ID']);
  }, 120_000);
});
