import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

// Answers that depend on the API version the client asked for (issue 13, items 2, 4 and 9),
// through the clients that found them: skopeo, docker-py and raw HTTP.
const DOCKER = '/usr/local/bin/docker';
const IMAGE = 'apiv/imported:1';
const OTHER = 'apiv-other/thing:1';
const run = promisify(execFile);

let scratch: string;
let stevedore: Topology;
let env: Record<string, string>;

const get = (path: string, base = stevedore.url): Promise<Response> => fetch(`${base}${path}`);
const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
// Debian's python3-docker (5.0.3), the docker-py that found these.
const python = (script: string): Promise<CommandResult> =>
  runCommand('/usr/bin/python3', ['-c', script, stevedore.url], env);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-apiv-'));
  const rootfs = join(scratch, 'rootfs.tar');
  const script = `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    data = b'api versions\\n'; f = tarfile.TarInfo('hello'); f.size = len(data); f.mtime = 1700000000; t.addfile(f, io.BytesIO(data))
`;
  await run('python3', ['-c', script, rootfs]);
  stevedore = await startEmbedded();
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    DOCKER_CONFIG: scratch,
    DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
  };
  for (const ref of [IMAGE, OTHER]) expect((await docker('import', rootfs, ref)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the minimum API version (item 2)', () => {
  // skopeo's docker-daemon transport ignores DOCKER_HOST; it takes the daemon from its flags.
  it('lets skopeo 1.9 (API 1.22) copy from and to docker-daemon: by default', async () => {
    const daemon = stevedore.url;
    const oci = `oci:${join(scratch, 'oci')}:copied`;
    const skopeo = (...args: string[]) => runCommand('skopeo', ['copy', ...args], env);
    const out = await skopeo('--src-daemon-host', daemon, `docker-daemon:${IMAGE}`, oci);
    expect(out).toMatchObject({ code: 0 });
    const index = JSON.parse(await readFile(join(scratch, 'oci', 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(1);
    const back = await skopeo('--dest-daemon-host', daemon, oci, 'docker-daemon:apiv/back:1');
    expect(back).toMatchObject({ code: 0 });
    expect((await docker('image', 'inspect', 'apiv/back:1')).code).toBe(0);
  });

  // dockerd writes errors as plain text up to API 1.23: old clients do not parse JSON ones.
  it("answers a request below 1.22 with dockerd's 400, in plain text", async () => {
    const response = await get('/v1.21/version');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(
      'client version 1.21 is too old. Minimum supported API version is 1.22, please upgrade your client to a newer version\n',
    );
  });

  it.each([
    ['1.22', 'text/plain; charset=utf-8', 'No such image: apiv/missing\n'],
    ['1.24', 'application/json', '{"message":"No such image: apiv/missing"}'],
  ])('at %s sends errors as %s, as dockerd', async (version, type, body) => {
    const response = await get(`/v${version}/images/apiv/missing/json`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.text()).toBe(body);
  });

  // Both topologies' gateways read the floor: the embedded process and the cluster's gateway app.
  it.each([
    ['embedded', (o: object) => startEmbedded(undefined, o)],
    ['cluster', (o: object) => startCluster(o)],
  ] as const)(
    'the %s topology follows min-api-version and reports it in /version',
    async (_name, start) => {
      const strict = await start({ daemonConfig: { 'min-api-version': '1.40' } });
      try {
        const old = await get('/v1.22/version', strict.url);
        expect(old.status).toBe(400);
        expect(await old.text()).toMatch(
          /^client version 1.22 is too old. Minimum supported API version is 1.40,/,
        );
        const current = await get('/v1.40/version', strict.url);
        expect(current.status).toBe(200);
        expect(await current.json()).toMatchObject({ MinAPIVersion: '1.40' });
      } finally {
        await strict.stop();
      }
    },
    120_000,
  );

  it('lets DOCKER_MIN_API_VERSION win over min-api-version, as a systemd drop-in would', async () => {
    const strict = await startEmbedded(undefined, {
      daemonConfig: { 'min-api-version': '1.40' },
      env: { DOCKER_MIN_API_VERSION: '1.24' },
    });
    try {
      expect((await get('/v1.24/version', strict.url)).status).toBe(200);
      expect((await get('/v1.23/version', strict.url)).status).toBe(400);
    } finally {
      await strict.stop();
    }
  }, 60_000);
});

describe('the legacy filter parameter of GET /images/json (item 4)', () => {
  const tagsAt = async (version: string, query: string): Promise<string[]> => {
    const response = await get(`/v${version}/images/json?${query}`);
    expect(response.status).toBe(200);
    const images = (await response.json()) as { RepoTags: string[] }[];
    return images.flatMap((image) => image.RepoTags).sort();
  };

  it('filters by reference at API 1.40 and is ignored from 1.41, as dockerd does', async () => {
    expect(await tagsAt('1.40', 'filter=apiv/imported')).toEqual([IMAGE]);
    expect(await tagsAt('1.40', 'filter=apiv-other/*')).toEqual([OTHER]);
    expect(await tagsAt('1.41', 'filter=apiv/imported')).toEqual(
      expect.arrayContaining([IMAGE, OTHER]),
    );
  });

  it('serves docker-py, which sends filter= below API 1.25, only the named image', async () => {
    const result = await python(`
import sys, docker
client = docker.APIClient(base_url=sys.argv[1], version='1.24')
print(sorted(t for i in client.images(name='apiv/imported') for t in i['RepoTags']))
`);
    expect(result).toEqual({ code: 0, stdout: `['${IMAGE}']\n`, stderr: '' });
  });
});

describe('image inspect shaped per API version (item 9)', () => {
  // What dockerd 20.10 answers at 1.41 for an image made by `docker import` (checked side by side).
  const DOCKERD_CONFIG_KEYS = [
    ...['Hostname', 'Domainname', 'User', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'Tty'],
    ...['OpenStdin', 'StdinOnce', 'Env', 'Cmd', 'Image', 'Volumes', 'WorkingDir', 'Entrypoint'],
    ...['OnBuild', 'Labels'],
  ];
  const inspectAt = async (version: string): Promise<Record<string, unknown>> => {
    const response = await get(`/v${version}/images/${IMAGE}/json`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  it("sends dockerd 20.10's key set at 1.41", async () => {
    const inspect = await inspectAt('1.41');
    expect(Object.keys(inspect)).toEqual([
      ...['Id', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'Container'],
      ...['ContainerConfig', 'DockerVersion', 'Author', 'Config', 'Architecture', 'Os', 'Size'],
      ...['VirtualSize', 'GraphDriver', 'RootFS', 'Metadata'],
    ]);
    expect(Object.keys(inspect['Config'] as object)).toEqual(DOCKERD_CONFIG_KEYS);
    expect(Object.keys(inspect['ContainerConfig'] as object)).toEqual(DOCKERD_CONFIG_KEYS);
    expect(inspect['VirtualSize']).toBe(inspect['Size']);
  });

  it.each([
    ['1.44', ['Container', 'ContainerConfig'], ['VirtualSize']],
    ['1.45', [], ['Container', 'ContainerConfig', 'VirtualSize']],
  ])('at %s keeps %j and drops %j', async (version, present, absent) => {
    const inspect = await inspectAt(version);
    for (const key of present) expect(inspect).toHaveProperty(key);
    for (const key of absent) expect(inspect).not.toHaveProperty(key);
    expect(Object.keys(inspect['Config'] as object)).toEqual(DOCKERD_CONFIG_KEYS);
  });

  it('sends only the keys the image config sets from 1.50', async () => {
    const inspect = await inspectAt('1.50');
    expect(inspect['Config']).toEqual({});
    for (const key of ['Container', 'ContainerConfig', 'VirtualSize'])
      expect(inspect).not.toHaveProperty(key);
  });

  it("lets docker-py at API 1.41 read Config['Entrypoint']", async () => {
    const result = await python(`
import sys, docker
client = docker.APIClient(base_url=sys.argv[1], version='1.41')
config = client.inspect_image('${IMAGE}')['Config']
print(config['Entrypoint'], config['Cmd'], repr(config['WorkingDir']))
`);
    expect(result).toEqual({ code: 0, stdout: "None None ''\n", stderr: '' });
  });
});
