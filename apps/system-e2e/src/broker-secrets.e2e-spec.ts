import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startCluster } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
/** Where RabbitMQ keeps its queue indexes, journals and message stores (we run as root). */
const BROKER_DATA = process.env['RABBITMQ_MNESIA_BASE'] ?? '/var/lib/rabbitmq/mnesia';

/**
 * base64Traces are what any base64 (or base64url) encoding of a text containing `secret` must
 * contain, whatever precedes it: one encoding per alignment, less the characters its neighbours
 * change. They cover base64(password), base64(user:password) and X-Registry-Auth's JSON alike.
 */
function base64Traces(secret: string): string[] {
  return [0, 1, 2].flatMap((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret)]).toString('base64');
    const start = Math.ceil((shift * 4) / 3) + 1;
    const core = encoded.slice(start, encoded.length - 4);
    return [core, core.replace(/\+/g, '-').replace(/\//g, '_')];
  });
}

async function brokerFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every broker data file that holds one of `needles`, with the needle found. */
async function filesHolding(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await brokerFiles(BROKER_DATA)) {
    const text = await readFile(file).then(
      (b) => b.toString('latin1'),
      () => '',
    );
    for (const needle of needles) if (text.includes(needle)) found.push(`${file}: ${needle}`);
  }
  return found;
}

describe('registry credentials never reach the broker’s disk (cluster topology)', () => {
  // A password of this run only, so nothing another test wrote to the broker can match it.
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let guarded: RegistryHandle;
  let source: RegistryHandle;
  let fixtures: Fixtures;
  let stevedore: Topology;
  let home: string;
  let env: Record<string, string>;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

  beforeAll(async () => {
    [source, guarded] = await Promise.all([
      startRegistry(),
      startRegistry({ auth: 'htpasswd', password }),
    ]);
    fixtures = await pushFixtures(source);
    stevedore = await startCluster();
    home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-broker-secrets-'));
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DOCKER_CONFIG: home,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 240_000);

  afterAll(async () => {
    await stevedore?.stop();
    await killAllApps();
    await Promise.all([source?.stop(), guarded?.stop()]);
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('after a login, a push and a pull with credentials, no broker file holds the password or any base64 of it', async () => {
    const user = guarded.credentials?.username ?? '';
    const login = await runCommand(
      '/bin/sh',
      ['-c', `printf '%s' "$PW" | "${DOCKER}" login -u "${user}" --password-stdin ${guarded.host}`],
      { ...env, PW: password },
    );
    expect(login.code).toBe(0);
    const target = `${guarded.host}/team/secret-busybox:v1`;
    expect((await docker('pull', '-q', fixtures.busybox.reference)).code).toBe(0);
    expect((await docker('tag', fixtures.busybox.reference, target)).code).toBe(0);
    expect((await docker('push', target)).code).toBe(0);
    expect((await docker('rmi', target)).code).toBe(0);
    expect((await docker('pull', '-q', target)).code).toBe(0);
    const needles = new Set([
      password,
      ...base64Traces(password),
      ...base64Traces(`${user}:${password}`),
    ]);
    expect(await filesHolding([...needles])).toEqual([]);
  }, 240_000);
});
