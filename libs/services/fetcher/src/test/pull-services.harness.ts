import { DynamicModule, INestMicroservice, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { BLOB_STORE } from '@stevedore/blob-port';
import {
  Bus,
  InProcessBroker,
  InProcessClient,
  InProcessServer,
  MessagingModule,
  configureMessageHandlers,
} from '@stevedore/messaging';
import { UpstreamModule } from '@stevedore/registry-client';
import { MemoryBlobStore } from '@stevedore/testing';
import { DownloadStandIn } from './download-stand-in';

/** A running service under test on the in-process transport, with its bus and (in-memory) store. */
export interface ServiceHarness {
  bus: Bus;
  store: MemoryBlobStore;
  /** The stand-in for the metadata service's download gate (what a bus-coordinated fetcher asked). */
  downloads: DownloadStandIn;
  /** get returns one of the service's providers (a use-case to call in-process). */
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * startService boots `feature` as a microservice on the in-process transport, with a real
 * RegistryClient (default options: loopback registries over plain HTTP) and an in-memory
 * blob store in place of the blobstore service.
 */
export async function startService(
  feature: DynamicModule | (new () => unknown),
): Promise<ServiceHarness> {
  const store = new MemoryBlobStore();
  const broker = new InProcessBroker();
  @Module({
    imports: [
      MessagingModule.forRoot({ kind: 'in-process', broker }),
      UpstreamModule.forRoot({
        registryMirrors: [],
        insecureRegistries: [],
        importUrlAllowlist: [],
      }),
      {
        module: class StoreModule {},
        global: true,
        providers: [{ provide: BLOB_STORE, useValue: store }],
        exports: [BLOB_STORE],
      },
      feature,
    ],
    controllers: [DownloadStandIn],
  })
  class Root {}
  const app: INestMicroservice = await NestFactory.createMicroservice<MicroserviceOptions>(Root, {
    strategy: new InProcessServer(broker),
    logger: false,
  });
  configureMessageHandlers(app);
  await app.listen();
  const client = new InProcessClient(broker);
  return {
    bus: new Bus(() => client),
    store,
    downloads: app.get(DownloadStandIn),
    get: (type) => app.get(type, { strict: false }),
    close: () => app.close(),
  };
}
