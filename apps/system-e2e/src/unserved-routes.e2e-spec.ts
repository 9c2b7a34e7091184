import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startEmbedded } from './support/topology';

// Issue 13, item 10 (f): one rule for what Stevedore does not serve. A dockerd endpoint it does
// not implement is 501 with one message naming the area; any other path is dockerd's router's 404
// `page not found`. The gateway alone decides this, the same in both topologies.
const DOCKER = '/usr/local/bin/docker';

let scratch: string;
let stevedore: Topology;
let env: Record<string, string>;
const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);
const refusal = (area: string): string =>
  `Error response from daemon: Stevedore does not implement ${area}: it serves Docker's image commands only\n`;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-unserved-'));
  stevedore = await startEmbedded();
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    DOCKER_CONFIG: scratch,
    DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
  };
}, 120_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it.each([
  [['volume', 'ls'], 'volumes'],
  [['volume', 'create', 'data'], 'volumes'],
  [['network', 'ls'], 'networks'],
  [['network', 'create', 'n1'], 'networks'],
  [['plugin', 'ls'], 'plugins'],
  [['secret', 'ls'], 'swarm secrets'],
  [['node', 'ls'], 'swarm nodes'],
])('`docker %s` is a 501 naming %s, exit 1', async (args, area) => {
  expect(await docker(...args)).toMatchObject({ code: 1, stdout: '', stderr: refusal(area) });
});

it('serves the classic builder: POST /build is no longer a 404, and BuildKit’s cancel is a 501', async () => {
  const build = await fetch(`${stevedore.url}/v1.50/build?version=2`, { method: 'POST' });
  expect([build.status, await build.json()]).toEqual([
    400,
    { message: 'buildkit is not enabled on daemon' },
  ]);
  const cancel = await fetch(`${stevedore.url}/v1.50/build/cancel?id=x`, { method: 'POST' });
  expect(cancel.status).toBe(501);
  expect(await cancel.json()).toEqual({ message: refusal('BuildKit').slice(28, -1) });
});

it('`docker inspect <nothing>` still looks everywhere and says "No such object"', async () => {
  expect(await docker('inspect', 'nosuch')).toMatchObject({
    code: 1,
    stderr: 'Error: No such object: nosuch\n',
  });
});

it.each([
  ['GET', '/v1.50/nonsense'],
  ['POST', '/v1.50/images/busybox/frobnicate'],
  ['GET', '/v1.50/system/nothing'],
])('%s %s is 404 `page not found`, as dockerd answers an unknown route', async (method, path) => {
  const res = await fetch(`${stevedore.url}${path}`, { method });
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ message: 'page not found' });
});
