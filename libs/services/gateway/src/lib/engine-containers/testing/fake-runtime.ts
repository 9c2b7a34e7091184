import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { CONTAINER_IO, ContainerIo, Session } from '@stevedore/runtime-http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Observable, from } from 'rxjs';
import { configureEngineApi } from '../../engine/configure-engine-api';
import { EngineContainersModule } from '../engine-containers.module';

/** Handler answers one bus pattern in the fake runtime (a value, or values for a stream). */
export type Handler = (payload: Record<string, unknown>) => unknown;

/** FakeBus answers patterns from `handlers`; an unknown pattern is UNAVAILABLE, as with no runtime. */
export function fakeBus(handlers: Record<string, Handler>): Bus {
  const answer = (pattern: string, payload: object) => {
    const handler = handlers[pattern];
    if (!handler) throw new DomainError('UNAVAILABLE', `no handler for ${pattern}`);
    return handler(payload as Record<string, unknown>);
  };
  return {
    send: async (pattern: string, payload: object) => answer(pattern, payload),
    stream: (pattern: string, payload: object) =>
      new Observable((subscriber) => {
        try {
          return from(answer(pattern, payload) as unknown[]).subscribe(subscriber);
        } catch (err) {
          subscriber.error(err);
          return undefined;
        }
      }),
  } as unknown as Bus;
}

/** frame is one stdout frame of Docker's multiplexed stream (stdcopy): 8-byte header, then bytes. */
function frame(chunk: Buffer | string): Buffer {
  const payload = Buffer.from(chunk);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/**
 * echoSession greets, then echoes what the client sends until it closes its side: raw for a
 * TTY, else as stdout frames (`multiplexed`) as a real runtime writes them.
 */
function echoSession(tty: boolean, greeting: string, multiplexed = false): Session {
  const out = (chunk: Buffer | string) => (multiplexed && !tty ? frame(chunk) : chunk);
  return {
    tty,
    run: (conn: Duplex) =>
      new Promise<void>((resolve) => {
        conn.write(out(greeting));
        conn.on('data', (chunk: Buffer) => conn.write(out(chunk)));
        conn.on('end', () => resolve());
        conn.on('close', () => resolve());
      }),
  };
}

/**
 * fakeContainerIo is a fake runtime's byte streams (the real one runs runc; this one echoes):
 * container `nosuch` does not exist, `tty` has a terminal, exec `0…0` belongs to a stopped one.
 */
export function fakeContainerIo(): ContainerIo {
  const unused = () => Promise.reject(new Error('not used by these tests'));
  return {
    attach: async (id) => {
      if (id === 'nosuch') throw DomainError.notFound(`No such container: ${id}`);
      return echoSession(id === 'tty', `attached to ${id}\n`);
    },
    execStart: async (execId, options) => {
      if (execId === '0'.repeat(64)) throw DomainError.conflict('Container c0ffee is not running');
      // Exec `f…f` frames its output, as the docker CLI expects of a non-TTY exec.
      const framed = execId === 'f'.repeat(64);
      return echoSession(options.tty, `exec ${execId.slice(0, 4)} tty=${options.tty}\n`, framed);
    },
    logs: unused,
    statPath: unused,
    getArchive: unused,
    putArchive: unused,
    export: unused,
  };
}

/** startFakeRuntimeApp serves the container endpoints over real HTTP on a fake runtime. */
export async function startFakeRuntimeApp(handlers: Record<string, Handler> = {}) {
  @Global()
  @Module({
    providers: [
      { provide: Bus, useValue: fakeBus(handlers) },
      { provide: CONTAINER_IO, useValue: fakeContainerIo() },
    ],
    exports: [Bus, CONTAINER_IO],
  })
  class FakeRuntimeModule {}

  @Module({ imports: [FakeRuntimeModule, EngineContainersModule] })
  class TestModule {}

  const app = await NestFactory.create<NestExpressApplication>(TestModule, { logger: false });
  configureEngineApi(app);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { app, port };
}
