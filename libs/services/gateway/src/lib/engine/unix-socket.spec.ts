import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveUnixSocket } from './unix-socket';

@Controller()
class PingController {
  @Get('_ping')
  ping(): string {
    return 'OK';
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

function getOver(socketPath: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveUnixSocket', () => {
  let dir: string;
  let app: NestExpressApplication;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'unix-socket-'));
    app = await NestFactory.create<NestExpressApplication>(PingModule, { logger: false });
    await app.init();
  });

  afterEach(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the app on the socket, replacing a stale one, mode 0660', async () => {
    const path = join(dir, 'api.sock');
    const stale = createServer().listen(path);
    await new Promise((r) => stale.once('listening', r));
    stale.unref();
    const server = await serveUnixSocket(app, path);
    try {
      expect(await getOver(path, '/_ping')).toBe('OK');
      expect((await stat(path)).mode & 0o777).toBe(0o660);
    } finally {
      server.close();
    }
  });

  it('refuses a path that holds another kind of file, and leaves it alone', async () => {
    const path = join(dir, 'not-a-socket');
    await writeFile(path, 'keep me');
    await expect(serveUnixSocket(app, path)).rejects.toThrow(/exists and is not a socket/);
    expect((await stat(path)).isFile()).toBe(true);
  });
});
