import { Global, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import type { ImageRecord } from '@stevedore/contracts';
import { ARCHIVES, Archives } from '@stevedore/exporter-http';
import {
  InProcessBroker,
  InProcessServer,
  MessagingModule,
  configureMessageHandlers,
} from '@stevedore/messaging';
import { UpstreamModule } from '@stevedore/registry-client';
import { ExporterServiceModule } from '../lib/exporter-service.module';
import { FakeLeases, fakeMetadataModule } from './fake-metadata';

/** A running exporter module: its ARCHIVES port, and the app to close. */
export interface ExporterHarness {
  app: INestMicroservice;
  archives: Archives;
  /** What the fake metadata saw of content leases. */
  leases: FakeLeases;
}

/**
 * startExporter runs ExporterServiceModule on the in-process bus over `store`, with the fake
 * metadata handler over `records` on the same broker ("metadata faked") and the real registry
 * client (pushes are covered end to end against the testbed registry).
 */
export async function startExporter(
  store: BlobStore,
  records: ImageRecord[],
  spoolRoot?: string,
): Promise<ExporterHarness> {
  const broker = new InProcessBroker();
  const leases = new FakeLeases();

  @Global()
  @Module({ providers: [{ provide: BLOB_STORE, useValue: store }], exports: [BLOB_STORE] })
  class StoreModule {}

  @Module({
    imports: [
      MessagingModule.forRoot({ kind: 'in-process', broker }),
      StoreModule,
      UpstreamModule.forRoot({
        registryMirrors: [],
        insecureRegistries: [],
        importUrlAllowlist: [],
      }),
      ExporterServiceModule.forRoot({
        importUrlAllowlist: [],
        ...(spoolRoot ? { spoolRoot } : {}),
      }),
      fakeMetadataModule(records, leases),
    ],
  })
  class Host {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(Host, {
    strategy: new InProcessServer(broker),
    logger: false,
  });
  configureMessageHandlers(app);
  await app.listen();
  return { app, archives: app.get<Archives>(ARCHIVES), leases };
}
