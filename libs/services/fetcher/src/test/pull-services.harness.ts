import { DynamicModule, INestMicroservice, Module } from '@nestjs/common';
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
import { LeaseStandIn } from './lease-stand-in';

/** A running service under test on the in-process transport, with its bus and (in-memory) store. */
export interface ServiceHarness {
  bus: Bus;
  store: MemoryBlobStore;
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
    controllers: [LeaseStandIn],
  })
  class Root {}
  const app: INestMicroservice = await NestFactory.createMicroservice<MicroserviceOptions>(Root, {
    strategy: new InProcessServer(broker),
    logger: false,
  });
  configureMessageHandlers(app);
  await app.listen();
  const client = new InProcessClient(broker);
  return { bus: new Bus(() => client), store, close: () => app.close() };
}
