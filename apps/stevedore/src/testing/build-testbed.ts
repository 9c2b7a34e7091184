import { DynamicModule, INestMicroservice, Module, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { REMOVE_CONTAINER_V1 } from '@stevedore/contracts';
import {
  Bus,
  DomainRpcExceptionFilter,
  InProcessBroker,
  InProcessServer,
  MessageHandlerInterceptor,
  MessagingModule,
} from '@stevedore/messaging';
import { type BuildRequest, IMAGE_BUILDER, type ImageBuilder } from '@stevedore/runtime-http';
import { BlobstoreServiceModule } from '@stevedore/service-blobstore';
import { MetadataServiceModule } from '@stevedore/service-metadata';
import { ContainerStore, RuntimeServiceModule } from '@stevedore/service-runtime';

/** What a build test needs of the embedded app: the builder, the bus and the containers left. */
export interface BuildTestbed {
  readonly app: INestMicroservice;
  readonly builder: ImageBuilder;
  readonly bus: Bus;
  readonly containers: ContainerStore;
  /** Removes every container a failed test left (its mounted root would keep `dir` busy), then closes. */
  close(): Promise<void>;
}

export interface BuildTestbedOptions {
  dir: string;
  /** The runtime's internal endpoint, for tests that drive it as a cluster gateway would. */
  internalHttp?: { host: string; port: number; token: string };
  /** More services beside blobstore, metadata and runtime (e.g. the resolver and fetcher). */
  imports?: (Type | DynamicModule)[];
}

/** startBuildTestbed runs the services a build needs in one process on the in-process bus. */
export async function startBuildTestbed(options: BuildTestbedOptions): Promise<BuildTestbed> {
  const { dir } = options;
  const broker = new InProcessBroker();
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
      ...(options.imports ?? []),
      RuntimeServiceModule.forRoot({
        dataRoot: dir,
        ...(options.internalHttp ? { internalHttp: options.internalHttp } : {}),
      }),
    ],
  })
  class BuildTestbedModule {}
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BuildTestbedModule, {
    strategy: new InProcessServer(broker),
    logger: false,
  });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new DomainRpcExceptionFilter());
  app.useGlobalInterceptors(new MessageHandlerInterceptor());
  await app.listen();
  return testbedOf(app);
}

function testbedOf(app: INestMicroservice): BuildTestbed {
  const bus = app.get(Bus);
  const containers = app.get(ContainerStore);
  return {
    app,
    builder: app.get<ImageBuilder>(IMAGE_BUILDER),
    bus,
    containers,
    async close() {
      for (const c of containers.all())
        await bus.send(REMOVE_CONTAINER_V1, { id: c.id, force: true, volumes: true });
      await app.close();
    },
  };
}

/** buildRequest is what the gateway makes of `docker build` with no flags, changed by `over`. */
export function buildRequest(over: Partial<BuildRequest> = {}): BuildRequest {
  return {
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
    ...over,
  };
}

/** buildMessages reads a build's JSON-lines answer to the end. */
export async function buildMessages(out: Readable): Promise<Record<string, unknown>[]> {
  let text = '';
  for await (const chunk of out) text += String(chunk);
  return text
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
