import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Dockerd, dockerdAvailable, startDockerd } from './support/dockerd';
import { Topology, startEmbedded } from './support/topology';
import { skipNote } from './support/skip-note';

// Issue 13, item 10 (d): a pre-1.10 `docker save` archive (`repositories`, `<id>/json`,
// `<id>/layer.tar`, no manifest.json), built by hand, loads as dockerd 20.10 loads it: same image
// ID (the config dockerd derives from the v1 JSON), tags and history. dockerd itself is the oracle.
const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);
const oracle = dockerdAvailable() ? it : it.skip;

let scratch: string;
let archive: string;
let stevedore: Topology;
let dockerd: Dockerd | undefined;
let env: Record<string, string>;
const docker = (host: string, ...args: string[]): Promise<CommandResult> =>
  runCommand(DOCKER, args, { ...env, DOCKER_HOST: host });
const stevedoreHost = (): string => stevedore.url.replace(/^http:/, 'tcp:');
const FORMAT =
  '{{.Id}} {{json .RepoTags}} {{json .Config.Cmd}} {{json .Config.Labels}} {{.Author}}';

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-legacy-'));
  archive = join(scratch, 'legacy.tar');
  await run('python3', [join(__dirname, 'support', 'legacy-archive.py'), archive]);
  env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratch, DOCKER_CONFIG: scratch };
  stevedore = await startEmbedded();
  if (dockerdAvailable()) dockerd = await startDockerd();
}, 120_000);

afterAll(async () => {
  await stevedore?.stop();
  await dockerd?.stop();
  await killAllApps();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('`docker load` takes the pre-1.10 archive, tagged as its repositories file says', async () => {
  const loaded = await docker(stevedoreHost(), 'load', '-i', archive);
  expect(loaded).toMatchObject({ code: 0, stderr: '', stdout: 'Loaded image: legacy/app:1.0\n' });
  const history = await docker(
    stevedoreHost(),
    ...['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'legacy/app:1.0'],
  );
  expect(history.stdout).toBe(
    '/bin/sh -c #(nop) CMD ["sh"]\n/bin/sh -c #(nop) ADD file:abc in /\n',
  );
});

oracle(
  `gives the image dockerd 20.10 gives: same ID, tags, config and author${skipNote(dockerdAvailable(), 'dockerd 20.10 (docker.io) not installed')}`,
  async () => {
    const host = (dockerd as Dockerd).host;
    expect((await docker(host, 'load', '-i', archive)).code).toBe(0);
    const theirs = await docker(host, 'image', 'inspect', '--format', FORMAT, 'legacy/app:1.0');
    const ours = await docker(
      stevedoreHost(),
      'image',
      'inspect',
      '--format',
      FORMAT,
      'legacy/app:1.0',
    );
    expect(theirs.code).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
    const layers = '{{json .RootFS.Layers}}';
    const [a, b] = await Promise.all([
      docker(host, 'image', 'inspect', '--format', layers, 'legacy/app:1.0'),
      docker(stevedoreHost(), 'image', 'inspect', '--format', layers, 'legacy/app:1.0'),
    ]);
    expect(b.stdout).toBe(a.stdout);
  },
);

it('refuses a legacy archive whose layer is missing, and loads nothing', async () => {
  const broken = join(scratch, 'broken.tar');
  await run('python3', [
    '-c',
    `import tarfile,sys
src=tarfile.open(sys.argv[1]); dst=tarfile.open(sys.argv[2],'w')
for m in src.getmembers():
    if m.name.endswith('layer.tar') and 'cef482eb' in m.name: continue
    dst.addfile(m, src.extractfile(m) if m.isfile() else None)
dst.close()`,
    archive,
    broken,
  ]);
  expect((await docker(stevedoreHost(), 'rmi', 'legacy/app:1.0')).code).toBe(0);
  const result = await docker(stevedoreHost(), 'load', '-i', broken);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/layer\.tar is missing/);
  expect((await docker(stevedoreHost(), 'images', '-q', 'legacy/app')).stdout).toBe('');
});
