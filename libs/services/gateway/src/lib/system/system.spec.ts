import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DomainError } from '@stevedore/domain';
import type { AddressInfo } from 'node:net';
import { release } from 'node:os';
import { SystemModule } from './system.module';
import { configureEngineApi } from '../engine/configure-engine-api';
import { SystemVersion } from './system-version';

// A route that fails the way later use-cases will, to see the filter and headers on errors.
@Controller()
class FailingController {
  @Get('images/missing/json')
  missing(): never {
    throw DomainError.notFound('No such image: missing:latest');
  }

  @Get('images/broken/json')
  broken(): never {
    throw new Error('database password is hunter2');
  }
}

@Module({ imports: [SystemModule], controllers: [FailingController] })
class TestModule {}

describe('Engine API system endpoints (real HTTP, in process)', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const nest = await NestFactory.create<NestExpressApplication>(TestModule, { logger: false });
    configureEngineApi(nest);
    await nest.listen(0, '127.0.0.1');
    app = nest;
    base = `http://127.0.0.1:${(nest.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  function expectEngineHeaders(response: Response): void {
    expect(response.headers.get('api-version')).toBe('1.50');
    expect(response.headers.get('ostype')).toBe('linux');
    expect(response.headers.get('server')).toMatch(/^Stevedore\/\S+ \(linux\)$/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  }

  it('answers GET /_ping with OK and the ping headers', async () => {
    const response = await fetch(`${base}/_ping`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OK');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('docker-experimental')).toBe('false');
    expect(response.headers.get('swarm')).toBe('inactive');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    expect(response.headers.get('pragma')).toBe('no-cache');
    expect(response.headers.has('builder-version')).toBe(false);
    expectEngineHeaders(response);
  });

  it('answers HEAD /_ping with the headers and an empty body', async () => {
    const response = await fetch(`${base}/_ping`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('swarm')).toBe('inactive');
    expectEngineHeaders(response);
  });

  it.each(['/version', '/v1.50/version', '/v1.24/version', '/v1.51/version'])(
    'answers GET %s',
    async (path) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expectEngineHeaders(response);
      const body = (await response.json()) as SystemVersion;
      expect(body).toMatchObject({
        Platform: { Name: 'Stevedore' },
        ApiVersion: '1.50',
        MinAPIVersion: '1.22',
        Os: 'linux',
        KernelVersion: release(),
        GoVersion: `node${process.versions.node}`,
      });
      expect(['amd64', 'arm64']).toContain(body.Arch);
      expect(body.Components).toEqual([
        {
          Name: 'Engine',
          Version: body.Version,
          Details: expect.objectContaining({
            ApiVersion: '1.50',
            MinAPIVersion: '1.22',
            Os: 'linux',
            Arch: body.Arch,
          }),
        },
      ]);
    },
  );

  it('serves /_ping under a version prefix too', async () => {
    const response = await fetch(`${base}/v1.50/_ping`);
    expect(await response.text()).toBe('OK');
  });

  it.each([
    ['/v1.99/version', 'client version 1.99 is too new. Maximum supported API version is 1.51'],
    ['/v1.52/_ping', 'client version 1.52 is too new. Maximum supported API version is 1.51'],
  ])('rejects %s with 400 and Docker’s message', async (path, message) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message });
    expectEngineHeaders(response);
  });

  // dockerd answers clients older than API 1.24 in plain text, this one included.
  it('rejects /v1.12/version with 400 and Docker’s message in plain text', async () => {
    const response = await fetch(`${base}/v1.12/version`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(
      'client version 1.12 is too old. Minimum supported API version is 1.22, please upgrade your client to a newer version\n',
    );
    expectEngineHeaders(response);
  });

  it.each(['/nope', '/v1.50/nope', '/v1.50', '/images/v1.50/version'])(
    'answers unknown route %s with 404 page not found',
    async (path) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ message: 'page not found' });
      expectEngineHeaders(response);
    },
  );

  it('answers a wrong method with 404 page not found, as Docker does', async () => {
    const response = await fetch(`${base}/version`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'page not found' });
  });

  it('maps a domain error to its status and message', async () => {
    const response = await fetch(`${base}/v1.50/images/missing/json`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'No such image: missing:latest' });
    expectEngineHeaders(response);
  });

  it('answers an unexpected error with 500 and no internals', async () => {
    const response = await fetch(`${base}/images/broken/json`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'internal server error' });
  });
});
