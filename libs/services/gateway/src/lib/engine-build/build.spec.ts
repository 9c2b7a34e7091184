import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DomainError } from '@stevedore/domain';
import { BuildContext, BuildRequest, IMAGE_BUILDER, ImageBuilder } from '@stevedore/runtime-http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { configureEngineApi } from '../engine/configure-engine-api';
import { EngineBuildModule } from './engine-build.module';

/** A builder that records what it was given and answers with a stream the test controls. */
class RecordingBuilder implements ImageBuilder {
  calls: { request: BuildRequest; registryConfig?: string; context: string }[] = [];
  signals: AbortSignal[] = [];
  answer: () => Promise<Readable> = async () =>
    Readable.from(['{"stream":"Step 1/1 : FROM x\\n"}\r\n']);

  async build(request: BuildRequest, context: BuildContext, signal: AbortSignal) {
    this.signals.push(signal);
    const entry = { request, context: await text(context.body), ...pick(context) };
    this.calls.push(entry);
    return this.answer();
  }
}

function pick(context: BuildContext): { registryConfig?: string } {
  return context.registryConfig ? { registryConfig: context.registryConfig } : {};
}

async function startApp(builder?: ImageBuilder) {
  const providers = builder ? [{ provide: IMAGE_BUILDER, useValue: builder }] : [];
  @Global()
  @Module({ providers, exports: builder ? [IMAGE_BUILDER] : [] })
  class FakeRuntime {}
  @Module({ imports: [FakeRuntime, EngineBuildModule] })
  class TestModule {}
  const app = await NestFactory.create<NestExpressApplication>(TestModule, { logger: false });
  configureEngineApi(app);
  await app.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

describe('POST /build over real HTTP (recording builder)', () => {
  const builder = new RecordingBuilder();
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => ({ app, base } = await startApp(builder)));
  afterAll(() => app?.close());
  beforeEach(() => {
    builder.calls = [];
    builder.signals = [];
  });

  const post = (query: string, body = 'the context tar', headers: Record<string, string> = {}) =>
    fetch(`${base}/v1.41/build?${query}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-tar', ...headers },
    });

  it('streams the body to the builder and its messages back as application/json', async () => {
    const res = await post('t=app:1&networkmode=none', 'tar bytes', {
      'X-Registry-Config': 'e30=',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{"stream":"Step 1/1 : FROM x\\n"}\r\n');
    expect(builder.calls).toEqual([
      {
        request: expect.objectContaining({
          tags: ['docker.io/library/app:1'],
          networkMode: 'none',
          apiVersion: '1.41',
        }),
        context: 'tar bytes',
        registryConfig: 'e30=',
      },
    ]);
  });

  it('streams the context whatever its Content-Type says (curl sends form-urlencoded)', async () => {
    const res = await post('', 'a=b&c=d', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(builder.calls[0]?.context).toBe('a=b&c=d');
  });

  it('refuses a bad parameter with a status and dockerd’s message, before building', async () => {
    const res = await post('buildargs=%7Bbad');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message:
        "error reading build args: invalid character 'b' looking for beginning of object key string",
    });
    expect(builder.calls).toEqual([]);
  });

  it('answers a build that cannot start (no Dockerfile) with the builder’s error and status', async () => {
    builder.answer = () =>
      Promise.reject(DomainError.invalidArgument('Cannot locate specified Dockerfile: nope'));
    const res = await post('dockerfile=nope');
    builder.answer = async () => Readable.from([]);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Cannot locate specified Dockerfile: nope' });
  });

  it('ends a stream that breaks midway with Docker’s in-stream error', async () => {
    const broken = new PassThrough();
    builder.answer = async () => broken;
    const pending = post('');
    await waitFor(() => builder.calls.length === 1);
    broken.write('{"stream":"Step 1/2 : FROM x\\n"}\r\n');
    broken.destroy(new DomainError('UNAVAILABLE', 'the runtime went away'));
    const res = await pending;
    expect(await res.text()).toBe(
      '{"stream":"Step 1/2 : FROM x\\n"}\r\n' +
        '{"errorDetail":{"message":"the runtime went away"},"error":"the runtime went away"}\r\n',
    );
  });

  it('aborts the build’s signal when the client goes away', async () => {
    const endless = new PassThrough();
    builder.answer = async () => endless;
    const client = new AbortController();
    const res = await fetch(`${base}/v1.41/build`, {
      method: 'POST',
      body: 'ctx',
      signal: client.signal,
    });
    expect(res.status).toBe(200);
    endless.write('{"stream":"Step 1/2 : RUN sleep 600\\n"}\r\n');
    expect(builder.signals[0]?.aborted).toBe(false);
    client.abort();
    await waitFor(() => builder.signals[0]?.aborted === true);
    expect(builder.signals[0]?.aborted).toBe(true);
  });

  it('answers docker builder prune: nothing cached besides images', async () => {
    const res = await fetch(`${base}/v1.41/build/prune?keep-storage=0`, { method: 'POST' });
    expect([res.status, await res.json()]).toEqual([
      200,
      { CachesDeleted: null, SpaceReclaimed: 0 },
    ]);
  });

  it('answers POST /build/cancel (BuildKit only) 501', async () => {
    const res = await fetch(`${base}/v1.41/build/cancel?id=x`, { method: 'POST' });
    expect([res.status, await res.json()]).toEqual([
      501,
      { message: "Stevedore does not implement BuildKit: it serves Docker's image commands only" },
    ]);
  });
});

describe('POST /build on a gateway without a builder', () => {
  it('answers 503 saying so', async () => {
    const { app, base } = await startApp();
    const res = await fetch(`${base}/v1.41/build`, { method: 'POST', body: 'x' });
    expect([res.status, await res.json()]).toEqual([
      503,
      { message: 'this gateway reaches no image builder' },
    ]);
    await app.close();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}
