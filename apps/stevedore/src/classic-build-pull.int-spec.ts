import { INestMicroservice, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { REMOVE_CONTAINER_V1 } from '@stevedore/contracts';
import {
  Bus,
  DomainRpcExceptionFilter,
  InProcessBroker,
  InProcessServer,
  MessageHandlerInterceptor,
  MessagingModule,
} from '@stevedore/messaging';
import { UpstreamModule } from '@stevedore/registry-client';
import { IMAGE_BUILDER, type ImageBuilder } from '@stevedore/runtime-http';
import { BlobstoreServiceModule } from '@stevedore/service-blobstore';
import { FetcherServiceModule } from '@stevedore/service-fetcher';
import { MetadataServiceModule } from '@stevedore/service-metadata';
import { ResolverServiceModule } from '@stevedore/service-resolver';
import { ContainerStore, RuntimeServiceModule } from '@stevedore/service-runtime';
import { type RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';

describe('docker build pulling its FROM image through the fetcher, as docker pull does', () => {
  let dir: string;
  let registry: RegistryHandle;
  let app: INestMicroservice | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stevedore-build-pull-'));
    registry = await startRegistry();
    await pushFixtures(registry);
    const broker = new InProcessBroker();
    const daemon = {
      registryMirrors: [],
      insecureRegistries: [registry.host],
      importUrlAllowlist: [],
    };
    @Module({
      imports: [
        MessagingModule.forRoot({ kind: 'in-process', broker }),
        BlobstoreServiceModule.forRoot({
          dataRoot: dir,
          ingestLimits: { maxAgeMs: 86_400_000, maxBytes: 1024 ** 3 },
        }),
        MetadataServiceModule.forRoot({
          store: { kind: 'sqlite', path: join(dir, 'metadata.db') },
          dataRoot: dir,
        }),
        UpstreamModule.forRoot(daemon),
        ResolverServiceModule,
        FetcherServiceModule.forRoot({ coordination: 'local' }),
        RuntimeServiceModule.forRoot({ dataRoot: dir }),
      ],
    })
    class PullBuildModule {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(PullBuildModule, {
      strategy: new InProcessServer(broker),
      logger: false,
    });
    app.useGlobalPipes(
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    app.useGlobalFilters(new DomainRpcExceptionFilter());
    app.useGlobalInterceptors(new MessageHandlerInterceptor());
    await app.listen();
  }, 180_000);

  afterAll(async () => {
    const bus = app?.get(Bus);
    for (const c of app?.get(ContainerStore).all() ?? [])
      await bus?.send(REMOVE_CONTAINER_V1, { id: c.id, force: true, volumes: true });
    await app?.close();
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('pulls a missing base image with dockerd’s status lines, then runs on it', async () => {
    const from = `${registry.host}/library/busybox:latest`;
    const p = pack();
    p.entry({ name: 'Dockerfile' }, `FROM ${from}\nRUN echo pulled\n`);
    p.finalize();
    const builder = app?.get<ImageBuilder>(IMAGE_BUILDER) as ImageBuilder;
    const request = {
      dockerfile: 'Dockerfile',
      tags: [],
      buildArgs: {},
      labels: {},
      noCache: false,
      pull: false,
      quiet: false,
      rm: true,
      forceRm: false,
      cacheFrom: [],
      networkMode: 'none',
      extraHosts: [],
      apiVersion: '1.41',
    };
    const out = await builder.build(
      request,
      { body: Readable.from(p) },
      new AbortController().signal,
    );
    let text = '';
    for await (const chunk of out) text += String(chunk);
    const messages = text
      .split('\r\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const statuses = messages.filter((m) => m['status']).map((m) => m['status']);
    expect(statuses[0]).toBe('Pulling from library/busybox');
    expect(statuses).toContain('Pull complete');
    expect(statuses.at(-2)).toMatch(/^Digest: sha256:[0-9a-f]{64}$/);
    expect(statuses.at(-1)).toBe(`Status: Downloaded newer image for ${from}`);
    expect(messages.map((m) => m['stream'] ?? '').join('')).toContain('pulled\n');
  });
});
