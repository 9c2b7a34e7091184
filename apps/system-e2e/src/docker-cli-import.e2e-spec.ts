import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);

let scratch: string;
let rootfs: string;
let diffId: string;
let server: Server;
let serverHost: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-import-'));
  rootfs = join(scratch, 'rootfs.tar');
  const script = `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    d = tarfile.TarInfo('etc'); d.type = tarfile.DIRTYPE; d.mode = 0o755; d.mtime = 1700000000; t.addfile(d)
    data = b'imported\\n'; f = tarfile.TarInfo('etc/hostname'); f.size = len(data); f.mtime = 1700000000; t.addfile(f, io.BytesIO(data))
`;
  await run('python3', ['-c', script, rootfs]);
  diffId = `sha256:${createHash('sha256')
    .update(await readFile(rootfs))
    .digest('hex')}`;
  await run('sh', ['-c', `gzip -c "${rootfs}" > "${rootfs}.gz"`]);
  await writeFile(join(scratch, 'junk.bin'), Buffer.alloc(8192, 0x41));
  // A web server holding the tar, for URL imports.
  const tar = await readFile(rootfs);
  server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/x-tar' }).end(tar),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await killAllApps();
  await new Promise((resolve) => server?.close(resolve));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe.each([
  ['embedded', (o: object) => startEmbedded(undefined, o)],
  ['cluster', (o: object) => startCluster(o)],
] as const)('docker import against the %s topology', (_name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
  const inspect = async (ref: string, format: string) =>
    (await docker('image', 'inspect', '--format', format, ref)).stdout.trim();

  beforeAll(async () => {
    stevedore = await start({ daemonConfig: { 'import-url-allowlist': ['127.0.0.1'] } });
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: scratch,
      DOCKER_CONFIG: scratch,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  it('`docker import --change -m file repo:tag` builds a one-layer image with the changes, diff ID and message', async () => {
    const result = await docker(
      'import',
      '--change',
      'CMD ["sh"]',
      '--change',
      'ENV A=1',
      '--change',
      'EXPOSE 8080',
      '-m',
      'imported for e2e',
      rootfs,
      'myimg:1',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [id] = lines(result.stdout);
    expect(id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await inspect('myimg:1', '{{.Id}}')).toBe(id);
    expect(await inspect('myimg:1', '{{json .Config.Cmd}}')).toBe('["sh"]');
    expect(await inspect('myimg:1', '{{json .Config.Env}}')).toBe('["A=1"]');
    expect(await inspect('myimg:1', '{{json .Config.ExposedPorts}}')).toBe('{"8080/tcp":{}}');
    expect(await inspect('myimg:1', '{{.Comment}}')).toBe('imported for e2e');
    expect(await inspect('myimg:1', '{{json .RootFS.Layers}}')).toBe(JSON.stringify([diffId]));
    const history = await docker('history', '--format', '{{.Comment}}', 'myimg:1');
    expect(lines(history.stdout)).toEqual(['imported for e2e']);
  });

  it('`cat rootfs.tar.gz | docker import - x:1` reads stdin and decompresses; the diff ID is the plain tar’s', async () => {
    const piped = await run('sh', ['-c', `cat "${rootfs}.gz" | "${DOCKER}" import - x:1`], { env });
    expect(lines(piped.stdout)[0]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await inspect('x:1', '{{json .RootFS.Layers}}')).toBe(JSON.stringify([diffId]));
    expect(await inspect('x:1', '{{.Comment}}')).toBe('Imported from -');
  });

  it('imports from a URL on the allow-list, and refuses one that is not', async () => {
    const ok = await docker('import', `http://${serverHost}/rootfs.tar`, 'web:1');
    expect(ok.code).toBe(0);
    expect(await inspect('web:1', '{{.Comment}}')).toBe(
      `Imported from http://${serverHost}/rootfs.tar`,
    );
    const refused = await docker('import', 'http://localhost.localdomain:9/rootfs.tar', 'web:2');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not allowed: add it to import-url-allowlist');
  });

  it('refuses a bad change and what is not a tar, storing nothing', async () => {
    const before = (await docker('images', '-q')).stdout;
    const badChange = await docker('import', '--change', 'RUN make', rootfs, 'bad:1');
    expect(badChange.code).toBe(1);
    expect(badChange.stderr).toContain('run is not a valid change command');
    const junk = await docker('import', join(scratch, 'junk.bin'), 'bad:2');
    expect(junk.code).toBe(1);
    expect(junk.stderr).toContain('invalid tar header');
    expect((await docker('images', '-q')).stdout).toBe(before);
  });
});
