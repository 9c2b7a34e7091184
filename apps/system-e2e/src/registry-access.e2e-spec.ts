import bcrypt from 'bcryptjs';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, killAllApps, runCommand, startApp } from './support/app-process';
import { Dockerd, dockerdAvailable, startDockerd } from './support/dockerd';
import { skipNote } from './support/skip-note';
import { Topology, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const USER = 'alice';
const PASSWORD = 'correct-horse-battery';
const REPO = 'team/app';

let dir: string;
let htpasswd: string;
let signingKey: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stevedore-e2e-registry-access-'));
  htpasswd = join(dir, 'htpasswd');
  signingKey = join(dir, 'token.pem');
  await writeFile(htpasswd, `${USER}:${bcrypt.hashSync(PASSWORD, 5)}\n`, { mode: 0o600 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await writeFile(signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
});

afterAll(async () => {
  await killAllApps();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** dockerLogin runs `docker login` through a dockerd 20.10 of the test's own. */
function dockerLogin(dockerd: Dockerd, home: string, registry: string, password: string) {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: home,
    DOCKER_HOST: dockerd.host,
    PW: password,
  };
  const host = new URL(registry).host;
  const script = `printf '%s' "$PW" | "${DOCKER}" login -u ${USER} --password-stdin ${host}`;
  return runCommand('/bin/sh', ['-c', script], env);
}

const loginLog = (r: CommandResult) => `${r.code}\n${r.stdout}\n${r.stderr}`;

/** describeDockerLogin: `docker login` through a dockerd 20.10 of the test's own, wrong and right. */
function describeDockerLogin(registry: () => string): void {
  describe(`docker login through dockerd 20.10${skipNote(dockerdAvailable(), 'no dockerd')}`, () => {
    const runs = dockerdAvailable() ? it : it.skip;
    runs(
      'is refused with a wrong password and logs in with the right one',
      async () => {
        const dockerd = await startDockerd([`--insecure-registry=${new URL(registry()).host}`]);
        const home = await mkdtemp(join(dir, 'home-'));
        try {
          const wrong = await dockerLogin(dockerd, home, registry(), 'wrong-password');
          expect(wrong.code).not.toBe(0);
          expect(wrong.stderr).toMatch(/unauthorized|401/i);
          const right = await dockerLogin(dockerd, home, registry(), PASSWORD);
          expect(loginLog(right)).toMatch(/^0\n[\s\S]*Login Succeeded/);
        } finally {
          await dockerd.stop();
        }
      },
      120_000,
    );
  });
}

describe('the /v2/ listener with htpasswd Basic auth', () => {
  let stevedore: Topology;
  beforeAll(async () => {
    stevedore = await startEmbedded(undefined, { daemonConfig: { 'registry-auth': { htpasswd } } });
  }, 120_000);
  afterAll(async () => stevedore?.stop());

  it('answers no or wrong credentials with 401 and a Basic challenge, and right ones with 200', async () => {
    const none = await fetch(`${stevedore.registry}/v2/`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(
      'Basic realm="Stevedore Registry",charset="UTF-8"',
    );
    const wrong = await fetch(`${stevedore.registry}/v2/`, {
      headers: { authorization: basic(USER, 'wrong-password') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const body = await wrong.text();
    expect(JSON.parse(body).errors[0].code).toBe('UNAUTHORIZED');
    expect(body).not.toContain('wrong-password');
    const right = await fetch(`${stevedore.registry}/v2/`, {
      headers: { authorization: basic(USER, PASSWORD) },
    });
    expect(right.status).toBe(200);
    const push = await fetch(`${stevedore.registry}/v2/${REPO}/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: basic(USER, PASSWORD) },
    });
    expect(push.status).toBe(202);
  });

  it('lets an anonymous loopback client pull but not push', async () => {
    const pull = await fetch(`${stevedore.registry}/v2/${REPO}/manifests/latest`);
    expect(pull.status).toBe(404);
    const push = await fetch(`${stevedore.registry}/v2/${REPO}/blobs/uploads/`, {
      method: 'POST',
    });
    expect(push.status).toBe(401);
  });

  describeDockerLogin(() => stevedore.registry);
});

describe('the /v2/ listener with the Docker token flow', () => {
  let stevedore: Topology;
  beforeAll(async () => {
    stevedore = await startEmbedded(undefined, {
      daemonConfig: { 'registry-auth': { htpasswd, token: { 'signing-key': signingKey } } },
    });
  }, 120_000);
  afterAll(async () => stevedore?.stop());

  const token = async (scope: string, authorization?: string) => {
    const url = `${stevedore.registry}/auth/token?service=stevedore-registry&scope=${scope}`;
    return fetch(url, authorization ? { headers: { authorization } } : {});
  };

  it('challenges with the built-in token endpoint, and refuses wrong credentials there', async () => {
    const challenge = await fetch(`${stevedore.registry}/v2/`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toBe(
      `Bearer realm="${stevedore.registry}/auth/token",service="stevedore-registry"`,
    );
    const wrong = await token(`repository:${REPO}:pull`, basic(USER, 'wrong-password'));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('wrong-password');
  });

  it('lets a token scoped to pull pull but not push; a push token may push', async () => {
    const pull = await token(`repository:${REPO}:pull`, basic(USER, PASSWORD));
    expect(pull.status).toBe(200);
    const { token: pullToken } = (await pull.json()) as { token: string };
    const upload = (bearer: string) =>
      fetch(`${stevedore.registry}/v2/${REPO}/blobs/uploads/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
      });
    const refused = await upload(pullToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain(
      `scope="repository:${REPO}:pull,push",error="insufficient_scope"`,
    );
    const read = await fetch(`${stevedore.registry}/v2/${REPO}/tags/list`, {
      headers: { authorization: `Bearer ${pullToken}` },
    });
    expect(read.status).not.toBe(401);
    const push = await token(`repository:${REPO}:pull,push`, basic(USER, PASSWORD));
    const { token: pushToken } = (await push.json()) as { token: string };
    expect((await upload(pushToken)).status).toBe(202);
    const forged = await upload(`${pushToken.slice(0, -4)}AAAA`);
    expect(forged.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  describeDockerLogin(() => stevedore.registry);
});

describe('listening beyond loopback', () => {
  it('is refused without registry-auth', async () => {
    const root = await mkdtemp(join(dir, 'root-'));
    const proc = startApp('stevedore', {
      STEVEDORE_LISTEN: '127.0.0.1:0',
      STEVEDORE_REGISTRY_LISTEN: '0.0.0.0:0',
      STEVEDORE_DATA_ROOT: root,
    });
    const exit = await proc.waitForExit(60_000);
    expect(exit.code).not.toBe(0);
    expect(proc.stdout + proc.stderr).toMatch(
      /refuses to listen on 0\.0\.0\.0 without authentication/,
    );
  }, 60_000);

  it('is allowed with htpasswd auth', async () => {
    const stevedore = await startEmbedded(undefined, {
      daemonConfig: { 'registry-auth': { htpasswd } },
      env: { STEVEDORE_REGISTRY_LISTEN: '0.0.0.0:0' },
    });
    try {
      const port = new URL(stevedore.registry).port;
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      expect(res.status).toBe(401);
    } finally {
      await stevedore.stop();
    }
  }, 120_000);
});
