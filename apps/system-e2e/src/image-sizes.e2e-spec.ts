import { execFile } from 'node:child_process';
import { skipNote } from './support/skip-note';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  Fixtures,
  RegistryHandle,
  pushFixtures,
  skopeoCopy,
  startRegistry,
} from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Dockerd, dockerdAvailable, startDockerd } from './support/dockerd';
import { Topology, startEmbedded } from './support/topology';

// Issue 13, item 8: one rule for sizes. The same layer arrives twice, compressed (a pull) and
// uncompressed (a docker-archive, as skopeo and dockerd write them), and a second image shares it.
// Each image's Size must not depend on how its layers arrived, SharedSize never exceeds Size, and
// `docker system df -v` never prints a negative UNIQUE SIZE. dockerd 20.10, given the same
// archives, is the oracle for the relations (not the values: dockerd counts unpacked bytes).
const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;
let stevedore: Topology;
let dockerd: Dockerd | undefined;
let env: Record<string, string>;
const docker = (host: string, ...args: string[]): Promise<CommandResult> =>
  runCommand(DOCKER, args, { ...env, DOCKER_HOST: host });
const ours = (): string => stevedore.url.replace(/^http:/, 'tcp:');

/** relabel writes a copy of a docker-archive whose image has one more label: a new image, same layers. */
async function relabel(source: string, target: string): Promise<void> {
  const script = `
import hashlib, io, json, sys, tarfile
src = tarfile.open(sys.argv[1]); manifest = json.load(src.extractfile('manifest.json'))
config = json.load(src.extractfile(manifest[0]['Config']))
config.setdefault('config', {}).setdefault('Labels', {})['relabelled'] = 'yes'
data = json.dumps(config).encode(); name = hashlib.sha256(data).hexdigest() + '.json'
manifest[0]['Config'] = name; manifest[0]['RepoTags'] = ['e2e/relabelled:1']
with tarfile.open(sys.argv[2], 'w') as out:
    for m in src.getmembers():
        if m.name in ('manifest.json', 'repositories') or m.name.endswith('.json'): continue
        out.addfile(m, src.extractfile(m) if m.isfile() else None)
    for n, d in ((name, data), ('manifest.json', json.dumps(manifest).encode())):
        i = tarfile.TarInfo(n); i.size = len(d); out.addfile(i, io.BytesIO(d))
`;
  await run('python3', ['-c', script, source, target]);
}

const sizeOf = async (host: string, ref: string): Promise<number> =>
  Number((await docker(host, 'image', 'inspect', '--format', '{{.Size}}', ref)).stdout.trim());

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-sizes-'));
  const copy = join(scratch, 'copy.tar');
  await skopeoCopy(
    registry,
    `docker://${fixtures.busybox.reference}`,
    `docker-archive:${copy}:e2e/copy:1`,
  );
  await relabel(copy, join(scratch, 'relabelled.tar'));
  env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratch, DOCKER_CONFIG: scratch };
  stevedore = await startEmbedded();
  if (dockerdAvailable()) dockerd = await startDockerd();
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await dockerd?.stop();
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('an image keeps its Size when the same layers arrive again uncompressed', async () => {
  expect((await docker(ours(), 'pull', '-q', fixtures.busybox.reference)).code).toBe(0);
  const pulled = await sizeOf(ours(), fixtures.busybox.reference);
  expect((await docker(ours(), 'load', '-i', join(scratch, 'copy.tar'))).code).toBe(0);
  expect(await sizeOf(ours(), 'e2e/copy:1')).toBe(pulled);
  expect(await sizeOf(ours(), fixtures.busybox.reference)).toBe(pulled);
});

it('an image sharing the layer counts it at the same size, and no UNIQUE SIZE is negative', async () => {
  expect((await docker(ours(), 'load', '-i', join(scratch, 'relabelled.tar'))).code).toBe(0);
  expect(await sizeOf(ours(), 'e2e/relabelled:1')).toBe(await sizeOf(ours(), 'e2e/copy:1'));
  const df = await docker(ours(), 'system', 'df', '-v', '--format', '{{json .}}');
  expect(df.code).toBe(0);
  const images = (
    JSON.parse(df.stdout) as { Images: { SharedSize: string; UniqueSize: string; Size: string }[] }
  ).Images;
  expect(images.length).toBe(2);
  for (const image of images) expect(image.UniqueSize).toBe('0B');
  // Every layer of both images is shared: SharedSize is all of Size, to the byte.
  const raw = (await (await fetch(`${stevedore.url}/v1.50/system/df`)).json()) as {
    Images: { Size: number; SharedSize: number }[];
  };
  for (const image of raw.Images) expect(image.SharedSize).toBe(image.Size);
  const table = await docker(ours(), 'system', 'df', '-v');
  expect(table.stdout).not.toMatch(/\s-\d/);
});

(dockerdAvailable() ? it : it.skip)(
  `dockerd 20.10 relates the sizes the same way${skipNote(dockerdAvailable(), 'dockerd 20.10 (docker.io) not installed')}`,
  async () => {
    const host = (dockerd as Dockerd).host;
    for (const tar of ['copy.tar', 'relabelled.tar'])
      expect((await docker(host, 'load', '-i', join(scratch, tar))).code).toBe(0);
    expect(await sizeOf(host, 'e2e/relabelled:1')).toBe(await sizeOf(host, 'e2e/copy:1'));
    const df = await docker(host, 'system', 'df', '-v', '--format', '{{json .}}');
    const images = (
      JSON.parse(df.stdout) as {
        Images: { SharedSize: string; UniqueSize: string; Size: string }[];
      }
    ).Images;
    for (const image of images) expect(image.UniqueSize).toBe('0B');
  },
);
