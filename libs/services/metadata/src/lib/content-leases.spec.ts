import { INestMicroservice, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CLAIM_GARBAGE_V1,
  ClaimedGarbageV1,
  LEASE_CONTENT_V1,
  RELEASE_GARBAGE_V1,
} from '@stevedore/contracts';
import {
  Bus,
  ContentLeases,
  DomainRpcExceptionFilter,
  InProcessBroker,
  InProcessClient,
  InProcessServer,
  MessageHandlerInterceptor,
} from '@stevedore/messaging';
import { failure } from '../test/metadata-harness';
import { MetadataServiceModule } from './metadata-service.module';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('ContentLeases against the metadata service over the in-process bus', () => {
  let dir: string;
  let app: INestMicroservice | undefined;
  let bus: Bus;
  const claim = async (collector: string, digests: string[]) =>
    (await bus.send<ClaimedGarbageV1>(CLAIM_GARBAGE_V1, { collector, digests, ttlMs: 10_000 }))
      .claimed;
  const releaseClaim = (collector: string) => bus.send(RELEASE_GARBAGE_V1, { collector });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'content-leases-'));
    const broker = new InProcessBroker();
    app = await NestFactory.createMicroservice<MicroserviceOptions>(
      MetadataServiceModule.forRoot({
        store: { kind: 'sqlite', path: join(dir, 'metadata.db') },
        dataRoot: dir,
      }),
      { strategy: new InProcessServer(broker), logger: false },
    );
    app.useGlobalPipes(
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    app.useGlobalFilters(new DomainRpcExceptionFilter());
    app.useGlobalInterceptors(new MessageHandlerInterceptor());
    await app.listen();
    const client = new InProcessClient(broker);
    bus = new Bus(() => client);
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps held content out of a claim until it is released', async () => {
    const held = await new ContentLeases(bus).hold([digest('1'), digest('2')]);
    expect(await claim('gc', [digest('1'), digest('2'), digest('3')])).toEqual([digest('3')]);
    await held.release();
    expect(await claim('gc', [digest('1'), digest('2')])).toEqual([digest('1'), digest('2')]);
    await releaseClaim('gc');
  });

  it('waits while a collector holds a digest, and takes it once the claim is released', async () => {
    expect(await claim('gc', [digest('4')])).toEqual([digest('4')]);
    let held = false;
    const holding = new ContentLeases(bus).hold([digest('5'), digest('4')]).then((h) => {
      held = true;
      return h;
    });
    await sleep(300);
    expect(held).toBe(false);
    await releaseClaim('gc');
    const content = await holding;
    expect(await claim('gc', [digest('4'), digest('5')])).toEqual([]);
    await content.release();
  });

  it('renews a held lease past its ttl, and gives up waiting after its wait limit', async () => {
    const leases = new ContentLeases(bus, { ttlMs: 1000, waitLimitMs: 300 });
    const content = await leases.hold([digest('6')]);
    await sleep(1500);
    expect(await claim('gc', [digest('6')])).toEqual([]);
    expect(content.lost).toBe(false);
    await content.release();
    expect(await claim('gc', [digest('6')])).toEqual([digest('6')]);
    expect(await failure(leases.hold([digest('6')]))).toMatchObject({ code: 'UNAVAILABLE' });
    await releaseClaim('gc');
  });

  it('no longer protects content whose holder let the lease expire', async () => {
    await bus.send(LEASE_CONTENT_V1, { holder: 'stalled', digests: [digest('7')], ttlMs: 1000 });
    expect(await claim('gc', [digest('7')])).toEqual([]);
    await sleep(1100);
    expect(await claim('gc', [digest('7')])).toEqual([digest('7')]);
    await releaseClaim('gc');
  });
});
