import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, killAllApps, runCommand, startApp } from './support/app-process';

const DOCKER = '/usr/local/bin/docker';

describe('gateway, driven by the real docker CLI', () => {
  let gateway: AppProcess;
  let base: string;
  let dockerEnv: Record<string, string>;
  let dockerConfig: string;

  beforeAll(async () => {
    // An empty CLI config dir, so no context, credentials or settings of this machine leak in.
    dockerConfig = await mkdtemp(join(tmpdir(), 'stevedore-e2e-docker-'));
    gateway = startApp('gateway', {
      STEVEDORE_LISTEN: '127.0.0.1:0',
      STEVEDORE_REGISTRY_LISTEN: '127.0.0.1:0',
      STEVEDORE_INTERNAL_TOKEN: 'e2e-gateway-token-0123456789abcdef0123',
    });
    const [, port] = await gateway.waitForOutput(
      /gateway ready, listening on tcp:\/\/127\.0\.0\.1:(\d+)/,
    );
    base = `http://127.0.0.1:${port}`;
    dockerEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dockerConfig,
      DOCKER_CONFIG: dockerConfig,
      DOCKER_HOST: `tcp://127.0.0.1:${port}`,
    };
  });

  afterAll(async () => {
    await killAllApps();
    if (dockerConfig !== undefined) await rm(dockerConfig, { recursive: true, force: true });
  });

  it('`docker version` shows a Stevedore server speaking API 1.50', async () => {
    const result = await runCommand(DOCKER, ['version'], dockerEnv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [client, server] = result.stdout.split(/^Server:/m);
    expect(client).toMatch(/^ API version:\s+1\.50$/m);
    expect(server).toMatch(/^ Stevedore$/m);
    expect(server).toMatch(/^ Engine:$/m);
    expect(server).toMatch(/^ {2}API version:\s+1\.50 \(minimum version 1\.22\)$/m);
    expect(server).toMatch(/^ {2}OS\/Arch:\s+linux\/(amd64|arm64)$/m);
  });

  it('`docker version --format` reads the negotiated API versions', async () => {
    const server = await runCommand(
      DOCKER,
      ['version', '--format', '{{.Server.APIVersion}}'],
      dockerEnv,
    );
    expect(server).toEqual({ code: 0, stdout: '1.50\n', stderr: '' });
    const client = await runCommand(
      DOCKER,
      ['version', '--format', '{{.Client.APIVersion}}'],
      dockerEnv,
    );
    expect(client.stdout).toBe('1.50\n');
  });

  it('answers HEAD and GET /_ping with Docker’s headers', async () => {
    for (const method of ['HEAD', 'GET']) {
      const response = await fetch(`${base}/_ping`, { method });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(method === 'GET' ? 'OK' : '');
      expect(Object.fromEntries(response.headers)).toMatchObject({
        'api-version': '1.50',
        ostype: 'linux',
        server: expect.stringMatching(/^Stevedore\/\S+ \(linux\)$/),
        'docker-experimental': 'false',
        swarm: 'inactive',
        'cache-control': 'no-cache, no-store, must-revalidate',
        pragma: 'no-cache',
      });
    }
  });

  it('rejects an API version it does not serve with Docker’s 400 message', async () => {
    const response = await fetch(`${base}/v1.99/version`);
    expect(response.status).toBe(400);
    expect(response.headers.get('api-version')).toBe('1.50');
    expect(await response.json()).toEqual({
      message: 'client version 1.99 is too new. Maximum supported API version is 1.51',
    });
  });

  it('the CLI pinned to an unserved API version prints the daemon’s message', async () => {
    const result = await runCommand(DOCKER, ['version'], {
      ...dockerEnv,
      DOCKER_API_VERSION: '1.12',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'client version 1.12 is too old. Minimum supported API version is 1.22',
    );
  });

  it('answers an unknown route with 404 page not found as JSON', async () => {
    const response = await fetch(`${base}/v1.50/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ message: 'page not found' });
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await gateway.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(gateway.stdout).toContain('gateway stopped on SIGTERM');
  });
});
