import { execFile } from 'node:child_process';
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
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;

/** hostileTar writes a tar with one member of the given kind, with Python's tarfile (which writes what it is told). */
async function hostileTar(
  path: string,
  kind: 'dotdot' | 'absolute' | 'symlink-out',
): Promise<void> {
  const script = `
import io, sys, tarfile
kind, path = sys.argv[1], sys.argv[2]
with tarfile.open(path, 'w') as t:
    data = b'{"imageLayoutVersion": "1.0.0"}'
    info = tarfile.TarInfo('oci-layout'); info.size = len(data); t.addfile(info, io.BytesIO(data))
    if kind == 'dotdot':
        info = tarfile.TarInfo('blobs/../../escape'); info.size = 4; t.addfile(info, io.BytesIO(b'evil'))
    elif kind == 'absolute':
        info = tarfile.TarInfo('/tmp/stevedore-absolute'); info.size = 4; t.addfile(info, io.BytesIO(b'evil'))
    else:
        info = tarfile.TarInfo('blobs/sha256/link'); info.type = tarfile.SYMTYPE; info.linkname = '/etc/passwd'; t.addfile(info)
`;
  await run('python3', ['-c', script, kind, path]);
}

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-load-'));
  // What `skopeo copy … docker-archive:` writes (the legacy docker-save layout), named e2e/skopeo:1.
  await skopeoCopy(
    registry,
    `docker://${fixtures.busybox.reference}`,
    `docker-archive:${join(scratch, 'skopeo.tar')}:e2e/skopeo:1`,
  );
  for (const kind of ['dotdot', 'absolute', 'symlink-out'] as const)
    await hostileTar(join(scratch, `${kind}.tar`), kind);
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)('docker load against the %s topology', (name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
  const sh = (command: string) =>
    run('sh', ['-c', command], { env }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
  const imageIds = async () => lines((await docker('images', '-q', '--no-trunc')).stdout).sort();

  beforeAll(async () => {
    stevedore = await start();
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: scratch,
      DOCKER_CONFIG: scratch,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
    expect((await docker('pull', '-q', fixtures.multiLayer.reference)).code).toBe(0);
  }, 180_000);

  afterAll(async () => stevedore?.stop());

  it('`docker save -o`, `docker rmi`, `docker load -i` restores the same image ID', async () => {
    const ref = fixtures.multiLayer.reference;
    const tar = join(scratch, `${name}-roundtrip.tar`);
    expect((await docker('save', '-o', tar, ref)).code).toBe(0);
    expect((await docker('rmi', ref)).code).toBe(0);
    const loaded = await docker('load', '-i', tar);
    expect(loaded).toMatchObject({ code: 0, stderr: '' });
    expect(lines(loaded.stdout)).toEqual([`Loaded image: ${ref}`]);
    expect((await docker('image', 'inspect', '--format', '{{.Id}}', ref)).stdout.trim()).toBe(
      fixtures.multiLayer.configDigest,
    );
  });

  it('loads a gzip-compressed archive from stdin, and `-q` still names what it loaded', async () => {
    const tar = join(scratch, `${name}-roundtrip.tar`);
    const piped = await sh(`gzip -c "${tar}" | "${DOCKER}" load`);
    expect(piped.code).toBe(0);
    expect(lines(piped.stdout)).toEqual([`Loaded image: ${fixtures.multiLayer.reference}`]);
    const quiet = await docker('load', '-q', '-i', tar);
    expect(lines(quiet.stdout)).toEqual([`Loaded image: ${fixtures.multiLayer.reference}`]);
  });

  it.each([
    ['xz', 'xz -c'],
    ['bzip2', 'bzip2 -c'],
  ])('loads a %s-compressed archive', async (_kind, compress) => {
    const tar = join(scratch, `${name}-roundtrip.tar`);
    const piped = await sh(`${compress} "${tar}" | "${DOCKER}" load`);
    expect(piped.code).toBe(0);
    expect(lines(piped.stdout)).toEqual([`Loaded image: ${fixtures.multiLayer.reference}`]);
  });

  it('says so when a loaded tag moves off another image', async () => {
    const moved = `${name}-moved:1`;
    expect((await docker('tag', fixtures.multiLayer.reference, moved)).code).toBe(0);
    const tar = join(scratch, `${name}-moved.tar`);
    expect((await docker('save', '-o', tar, moved)).code).toBe(0);
    expect((await docker('pull', '-q', fixtures.busybox.reference)).code).toBe(0);
    expect((await docker('tag', fixtures.busybox.reference, moved)).code).toBe(0);
    const loaded = await docker('load', '-i', tar);
    expect(lines(loaded.stdout)).toEqual([
      `The image ${moved} already exists, renaming the old one with ID ${fixtures.busybox.configDigest} to empty string`,
      `Loaded image: ${moved}`,
    ]);
  });

  it('loads what `skopeo copy … docker-archive:` writes', async () => {
    const loaded = await docker('load', '-i', join(scratch, 'skopeo.tar'));
    expect(loaded).toMatchObject({ code: 0, stderr: '' });
    expect(lines(loaded.stdout)).toEqual(['Loaded image: e2e/skopeo:1']);
    expect(
      (await docker('image', 'inspect', '--format', '{{.Id}}', 'e2e/skopeo:1')).stdout.trim(),
    ).toBe(fixtures.busybox.configDigest);
  });

  it.each(['dotdot', 'absolute', 'symlink-out'])(
    'refuses a hostile archive (%s) with a clear error and stores nothing',
    async (kind) => {
      const before = await imageIds();
      const result = await docker('load', '-i', join(scratch, `${kind}.tar`));
      expect(result.code).toBe(1);
      expect(result.stderr.trim().length).toBeGreaterThan(0);
      expect(result.stderr).not.toMatch(/internal error/);
      expect(await imageIds()).toEqual(before);
    },
  );
});
