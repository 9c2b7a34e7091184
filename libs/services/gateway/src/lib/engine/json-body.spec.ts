import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IsOptional, IsString } from 'class-validator';
import type { AddressInfo } from 'node:net';
import { configureEngineApi } from './configure-engine-api';

class EchoDto {
  @IsOptional() @IsString() text?: string;
}

// A JSON endpoint like /auth or /api/v1/pulls, to see how bodies are bounded before any route.
@Controller()
class EchoController {
  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('Engine API JSON bodies are bounded (real HTTP, in process)', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(EchoModule, { logger: false });
    configureEngineApi(app);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => app?.close());

  const post = (body: string) =>
    fetch(`${base}/v1.50/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('takes a body of up to 1 MiB', async () => {
    const text = 'x'.repeat(1024 * 1024 - 20);
    const res = await post(JSON.stringify({ text }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as EchoDto).text).toHaveLength(text.length);
  });

  it('answers a larger body 413 with a Docker-style message', async () => {
    const res = await post(JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      message: 'request body too large: at most 1048576 bytes are accepted',
    });
  });

  it.each([
    ['objects', '{"text":"a","n":'.repeat(300) + '1' + '}'.repeat(300)],
    ['arrays', '['.repeat(5000) + ']'.repeat(5000)],
  ])('answers JSON nested deeper than 256 (%s) 400, never 500', async (_what, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: 'invalid JSON: nested deeper than 256 levels',
    });
  });

  it('answers malformed JSON 400 in the daemon’s words (httputils.ReadJSON)', async () => {
    const res = await post('{"text":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^invalid JSON: /);
  });
});
