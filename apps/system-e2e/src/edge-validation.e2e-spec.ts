import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { BigImage, pushBigImage } from './support/big-image';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
// containerd/platforms' pattern for the OS part of a specifier, as Go's %q prints it.
const OS_RE = String.raw`"^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.%-]*)((?:\\+[A-Za-z0-9_.%-]+)*)\\))?$"`;

let registry: RegistryHandle;
let fixtures: Fixtures;
let dockerConfig: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  // An empty CLI config dir, so no context, credentials or settings of this machine leak in.
  dockerConfig = await mkdtemp(join(tmpdir(), 'stevedore-e2e-edge-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (dockerConfig !== undefined) await rm(dockerConfig, { recursive: true, force: true });
});

/** Talks to one topology with the docker CLI and with raw HTTP (for what the CLI cannot send). */
function client(topology: () => Topology) {
  const env = () => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dockerConfig,
    DOCKER_CONFIG: dockerConfig,
    DOCKER_HOST: topology().url.replace(/^http:/, 'tcp:'),
  });
  return {
    docker: (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env()),
    api: async (method: string, path: string, body?: string) => {
      const res = await fetch(`${topology().url}/v1.50${path}`, {
        method,
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) as { message?: string } };
    },
    /** Every tag and id the daemon has recorded. */
    recorded: async (): Promise<string[]> => {
      const res = await fetch(`${topology().url}/v1.50/images/json?all=1`);
      const images = (await res.json()) as { Id: string; RepoTags: string[] }[];
      return images.flatMap((i) => [i.Id, ...i.RepoTags]);
    },
  };
}

describe('embedded topology: every parameter is checked at the edge, in Docker’s words', () => {
  let stevedore: Topology;
  const { docker, api, recorded } = client(() => stevedore);

  beforeAll(async () => {
    stevedore = await startEmbedded();
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  it.each([
    [
      '../../etc',
      `".." is an invalid OS component of "../../etc": OSAndVersion specifier component must match ${OS_RE}: invalid argument`,
    ],
    [
      'linux/',
      '"" is an invalid component of "linux/": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument',
    ],
    ['a/b/c/d', '"a/b/c/d": cannot parse platform specifier: invalid argument'],
    ['bogus', '"bogus": unknown operating system or architecture: invalid argument'],
  ])('`docker pull --platform %s` is a 400 and records nothing', async (platform, message) => {
    const result = await docker('pull', '--platform', platform, fixtures.busybox.reference);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Error response from daemon: ${message}\n`);
    expect(await recorded()).toEqual([]);
  });

  it('refuses a bad platform on import before reading the archive', async () => {
    const res = await api('POST', '/images/create?fromSrc=-&platform=..%2F..%2Fetc');
    expect(res.status).toBe(400);
    expect(res.json().message).toMatch(/^".." is an invalid OS component of "..\/..\/etc"/);
  });

  it('refuses a platform the multi-arch index lacks, in-stream, and records nothing', async () => {
    const result = await docker('pull', '--platform', 'linux/s390x', fixtures.multiArch.reference);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'no matching manifest for linux/s390x in the manifest list entries\n',
    );
    expect(await recorded()).toEqual([]);
  });

  it('refuses a single-platform image of another platform, and records nothing', async () => {
    const { busybox } = fixtures;
    const result = await docker('pull', '--platform', 'linux/s390x', busybox.reference);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `image with reference ${busybox.reference} was found but does not match the specified platform: wanted linux/s390x, actual: linux/amd64\n`,
    );
    expect(await recorded()).toEqual([]);
  });

  it('`GET /system/df?type=bogus` is a 400; the known types are served', async () => {
    const bogus = await api('GET', '/system/df?type=bogus');
    expect([bogus.status, bogus.json().message]).toEqual([400, 'unknown object type: bogus']);
    const images = await api('GET', '/system/df?type=image&type=build-cache');
    expect(images.status).toBe(200);
  });

  it('`GET /images/search?limit=abc` is a 400 with the daemon’s Atoi message', async () => {
    const res = await api('GET', '/images/search?term=busybox&limit=abc');
    expect([res.status, res.json().message]).toEqual([
      400,
      'invalid limit specified: strconv.Atoi: parsing "abc": invalid syntax',
    ]);
  });

  it('`docker login` to port 99999 is a 400, not a 500', async () => {
    const result = await docker('login', '-u', 'a', '-p', 'b', 'localhost:99999');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Error response from daemon: unable to parse server address: parse "https://localhost:99999": invalid port ":99999" after host\n',
    );
  });

  it.each([
    [
      { username: 'a', password: 'b', serveraddress: 'local\u0000host:5000' },
      'unable to parse server address: parse "https://local\\x00host:5000": net/url: invalid control character in URL',
    ],
    [
      [1, 2],
      'invalid JSON: json: cannot unmarshal array into Go value of type registry.AuthConfig',
    ],
  ])('`POST /auth` with %j is a 400', async (body, message) => {
    const res = await api('POST', '/auth', JSON.stringify(body));
    expect([res.status, res.json().message]).toEqual([400, message]);
  });

  it('`POST /auth` with a body that is not JSON, or not of the right shape, is a 400', async () => {
    const broken = await api('POST', '/auth', '{bad');
    expect(broken.status).toBe(400);
    expect(broken.json().message).toMatch(/^invalid JSON: /);
    const wrongType = await api('POST', '/auth', '{"username":5,"password":"x"}');
    expect(wrongType.status).toBe(400);
  });

  it('reads `force=maybe` as true, exactly like dockerd 20.10 (anything but "", 0, no, false, none)', async () => {
    const { busybox } = fixtures;
    expect((await docker('pull', busybox.reference)).code).toBe(0);
    expect((await docker('tag', busybox.reference, 'second:name')).code).toBe(0);
    // Without force an image with two names cannot be removed by id; ` no ` is false once trimmed.
    const notForced = await api('DELETE', `/images/${busybox.configDigest}?force=%20no%20`);
    expect(notForced.status).toBe(409);
    const forced = await api('DELETE', `/images/${busybox.configDigest}?force=maybe`);
    expect(forced.status).toBe(200);
    expect(await recorded()).toEqual([]);
  });
});

describe('cluster topology: a peer service down is UNAVAILABLE, not an internal error', () => {
  let stevedore: Topology;
  let image: BigImage;
  const { docker, api, recorded } = client(() => stevedore);

  beforeAll(async () => {
    image = await pushBigImage(registry.host, 'test/edge-big', 24 * 1024 * 1024);
    stevedore = await startCluster();
  }, 240_000);

  afterAll(async () => {
    await stevedore?.stop();
  });

  // Fetchers share the blob store's data root, so a download in flight no longer needs the
  // blobstore process; the resolver still stores manifests and configs through it.
  it('a pull while the blobstore is down fails with “blob store unavailable, retry later”', async () => {
    await stevedore.processes.get('blobstore')?.stop('SIGKILL');
    const result = await docker('pull', image.reference);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/blob store unavailable, retry later/);
    expect(result.stderr).not.toMatch(/internal/);
    expect(await recorded()).toEqual([]);

    await stevedore.restart('blobstore');
    const retried = await docker('pull', image.reference);
    expect(retried.code).toBe(0);
  }, 180_000);

  it('a request nobody consumes (metadata stopped) is a 503 naming the service, with a retry hint', async () => {
    await stevedore.processes.get('metadata')?.stop();
    const res = await api('GET', '/images/json');
    expect(res.status).toBe(503);
    expect(res.json().message).toMatch(
      /^metadata service unavailable \(no answer to metadata\.image\.summaries\.v1 within \d+ ms\), retry later$/,
    );
    await stevedore.restart('metadata');
    expect((await api('GET', '/images/json')).status).toBe(200);
  }, 120_000);
});
