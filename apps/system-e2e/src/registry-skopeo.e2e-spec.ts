import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, TopologyOptions, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const SKOPEO = '/usr/bin/skopeo';

let upstream: RegistryHandle;
let fixtures: Fixtures;
let work: string;

beforeAll(async () => {
  upstream = await startRegistry();
  fixtures = await pushFixtures(upstream);
  work = await mkdtemp(join(tmpdir(), 'stevedore-e2e-registry-skopeo-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await upstream?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const skopeo = (...args: string[]): Promise<CommandResult> =>
  runCommand(SKOPEO, ['--insecure-policy', ...args], { PATH: '/usr/bin:/bin', HOME: work });

interface SkopeoInspect {
  Digest: string;
  Architecture: string;
  Os: string;
  Created: string;
  Layers: string[];
}

describe.each([
  ['embedded', (o: TopologyOptions) => startEmbedded(undefined, o)],
  ['cluster', (o: TopologyOptions) => startCluster(o)],
] as const)('skopeo against the registry face of the %s topology', (_name, start) => {
  let stevedore: Topology;
  let v2: string;
  const docker = (...args: string[]): Promise<CommandResult> =>
    runCommand(DOCKER, args, {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: work,
      DOCKER_CONFIG: work,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    });

  beforeAll(async () => {
    stevedore = await start({ daemonConfig: { 'registry-mirrors': [upstream.url] } });
    v2 = stevedore.registry.replace(/^http:\/\//, '');
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  it('serves an image pulled through the Engine API under its familiar name, as docker inspect sees it', async () => {
    const pulled = await docker('pull', 'busybox');
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    const inspected = await skopeo(
      'inspect',
      '--tls-verify=false',
      `docker://${v2}/library/busybox:latest`,
    );
    expect(inspected.stderr).toBe('');
    const remote = JSON.parse(inspected.stdout) as SkopeoInspect;
    const local = JSON.parse((await docker('image', 'inspect', 'busybox')).stdout)[0] as {
      Id: string;
      RepoDigests: string[];
      Architecture: string;
      Os: string;
      Created: string;
    };
    expect(local.RepoDigests).toContain(`busybox@${remote.Digest}`);
    expect([remote.Architecture, remote.Os]).toEqual([local.Architecture, local.Os]);
    expect(new Date(remote.Created).getTime()).toBe(new Date(local.Created).getTime());
    const config = await skopeo(
      'inspect',
      '--tls-verify=false',
      '--config',
      '--raw',
      `docker://${v2}/library/busybox:latest`,
    );
    expect(`sha256:${createHash('sha256').update(config.stdout).digest('hex')}`).toBe(local.Id);
  });

  it('copies an image out of /v2/ with every blob verified, by tag and by digest', async () => {
    const dir = join(work, `out-${stevedore.name}`);
    const copied = await skopeo(
      'copy',
      '--src-tls-verify=false',
      `docker://${v2}/library/busybox:latest`,
      `dir:${dir}`,
    );
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    const manifest = await readFile(join(dir, 'manifest.json'));
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    expect(digest).toBe(fixtures.busybox.manifestDigest);
    const byDigest = await skopeo(
      'inspect',
      '--tls-verify=false',
      `docker://${v2}/library/busybox@${digest}`,
    );
    expect(byDigest.code).toBe(0);
  });

  it('takes a single-platform image pushed by skopeo, and docker images lists it under the pushed name', async () => {
    const pushed = await skopeo(
      'copy',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `docker://${fixtures.multiLayer.reference}`,
      `docker://${v2}/e2e/pushed:1`,
    );
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    const listed = await docker('images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}');
    expect(listed.stdout).toContain(
      `${v2}/e2e/pushed:1 ${fixtures.multiLayer.configDigest?.slice(7, 19)}`,
    );
    const inspected = JSON.parse(
      (await skopeo('inspect', '--tls-verify=false', `docker://${v2}/e2e/pushed:1`)).stdout,
    ) as SkopeoInspect;
    expect(inspected.Digest).toBe(fixtures.multiLayer.manifestDigest);
    const local = JSON.parse(
      (await docker('image', 'inspect', `${v2}/e2e/pushed:1`)).stdout,
    )[0] as {
      RepoDigests: string[];
    };
    expect(local.RepoDigests).toContain(`${v2}/e2e/pushed@${inspected.Digest}`);
  });

  it('takes a multi-platform index with every platform and serves it back byte for byte', async () => {
    const pushed = await skopeo(
      'copy',
      '--all',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `docker://${fixtures.multiArch.reference}`,
      `docker://${v2}/e2e/multi:1`,
    );
    expect(pushed.stderr).toBe('');
    const dir = join(work, `multi-${stevedore.name}`);
    const copied = await skopeo(
      'copy',
      '--all',
      '--src-tls-verify=false',
      `docker://${v2}/e2e/multi:1`,
      `dir:${dir}`,
    );
    expect(copied.stderr).toBe('');
    const index = await readFile(join(dir, 'manifest.json'));
    const upstreamRaw = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${fixtures.multiArch.reference}`,
    );
    expect(index.toString('utf8')).toBe(upstreamRaw.stdout);
    expect(`sha256:${createHash('sha256').update(index).digest('hex')}`).toBe(
      fixtures.multiArch.manifestDigest,
    );
    const raw = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${v2}/e2e/multi:1`,
    );
    expect(raw.stdout).toBe(index.toString('utf8'));
  });

  it('answers an unknown repository, tag and blob in the spec error form', async () => {
    const res = await fetch(`${stevedore.registry}/v2/library/nosuch/manifests/latest`);
    expect(res.status).toBe(404);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'MANIFEST_UNKNOWN',
    );
    const blob = await fetch(
      `${stevedore.registry}/v2/library/busybox/blobs/sha256:${'0'.repeat(64)}`,
    );
    expect(blob.status).toBe(404);
    expect(((await blob.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'BLOB_UNKNOWN',
    );
  });
});
