import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { buildContexts, writeContext } from './support/build-contexts';
import { dockerCli } from './support/busybox-import';
import { Topology, startEmbedded } from './support/topology';

// Issue 12: docker build through the SDKs as their users call it — docker-py's images.build and
// dockerode's buildImage with a tar stream — against the classic builder's POST /build.

let registry: RegistryHandle;
let fixtures: Fixtures;
let home: string;
let stevedore: Topology;
let contexts: ReturnType<typeof buildContexts>;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-sdk-build-'));
  stevedore = await startEmbedded();
  await dockerCli(stevedore.url, home).ok('pull', fixtures.busybox.reference);
  contexts = buildContexts(fixtures.busybox.reference);
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

// docker-py as a user calls it: the high-level build (path, tag, network) and the failure it raises.
const PY = `
import docker, json, sys
c = docker.DockerClient(base_url=sys.argv[1])
img, logs = c.images.build(path=sys.argv[2], tag='pybuild:1', network_mode='none', rm=True)
steps = [l['stream'] for l in logs if 'stream' in l and l['stream'].startswith('Step ')]
out = c.containers.run('pybuild:1', remove=True, network_mode='none').decode()
try:
    c.images.build(path=sys.argv[3], tag='pyfail:1', network_mode='none', rm=True)
    failure = None
except docker.errors.BuildError as e:
    failure = e.msg
print(json.dumps({'id': img.id, 'tags': img.tags, 'steps': len(steps), 'out': out,
  'ports': sorted(img.attrs['Config']['ExposedPorts']), 'failure': failure,
  'containers': len(c.containers.list(all=True))}))
`;

describe('docker build through the Docker SDKs (embedded)', () => {
  it('docker-py: images.build builds, tags and reports a failing RUN as BuildError', async () => {
    const ok = await writeContext(join(home, 'py-runoob'), contexts.runoob);
    const failing = await writeContext(join(home, 'py-fail'), contexts.failingRun);
    const url = stevedore.url.replace(/^http:/, 'tcp:');
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', PY, url, ok, failing], {
      timeout: 240_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      tags: ['pybuild:1'],
      steps: 7,
      out: 'runoob says hi\n',
      ports: ['22/tcp', '80/tcp'],
      failure: "The command '/bin/sh -c echo about to fail && false' returned a non-zero code: 1",
      containers: 0,
    });
  }, 300_000);

  it('dockerode: buildImage with a tar stream, followed to the aux image ID', async () => {
    const { hostname, port } = new URL(stevedore.url);
    const docker = new Docker({ host: hostname, port: Number(port), protocol: 'http' });
    const dir = await writeContext(join(home, 'node-multi'), contexts.multiStage);
    const tar = spawn('tar', ['-C', dir, '-cf', '-', '.']).stdout;
    const stream = await docker.buildImage(tar, { t: 'nodebuild:1', networkmode: 'none' });
    const events = await new Promise<Record<string, unknown>[]>((done, fail) =>
      docker.modem.followProgress(stream, (err: Error | null, out: Record<string, unknown>[]) =>
        err ? fail(err) : done(out),
      ),
    );
    // dockerd sends a step line and its newline as two messages; so must Stevedore.
    const steps = events.map((e) => e['stream']).filter((s) => String(s).startsWith('Step '));
    expect(steps).toEqual([
      `Step 1/5 : FROM ${fixtures.busybox.reference} AS builder`,
      'Step 2/5 : RUN mkdir -p /out && echo built > /out/artifact',
      `Step 3/5 : FROM ${fixtures.busybox.reference}`,
      'Step 4/5 : COPY --from=builder /out/artifact /artifact',
      'Step 5/5 : CMD ["cat", "/artifact"]',
    ]);
    // As dockerd, one aux ID per stage: the last is the image built.
    const aux = events.filter((e) => e['aux'] !== undefined).at(-1)?.['aux'] as { ID: string };
    const image = await docker.getImage('nodebuild:1').inspect();
    expect(image.Id).toBe(aux.ID);
    expect(image.Config.Cmd).toEqual(['cat', '/artifact']);
    expect(events.at(-1)).toEqual({ stream: 'Successfully tagged nodebuild:1\n' });
  }, 240_000);
});
