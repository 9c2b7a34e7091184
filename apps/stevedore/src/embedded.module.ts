import { DynamicModule, Module } from '@nestjs/common';
import { join } from 'node:path';
import { DaemonConfig, ingestLimitsOf } from '@stevedore/config';
import { InProcessBroker, MessagingModule } from '@stevedore/messaging';
import { UpstreamModule } from '@stevedore/registry-client';
import { BlobstoreServiceModule } from '@stevedore/service-blobstore';
import { ExporterServiceModule } from '@stevedore/service-exporter';
import { FetcherServiceModule } from '@stevedore/service-fetcher';
import { GatewayHttpModule, registryModule } from '@stevedore/service-gateway';
import { MetadataServiceModule } from '@stevedore/service-metadata';
import { ResolverServiceModule } from '@stevedore/service-resolver';
import { RuntimeServiceModule } from '@stevedore/service-runtime';

export interface EmbeddedOptions {
  dataRoot: string;
  daemon: DaemonConfig;
  broker: InProcessBroker;
}

/**
 * EmbeddedModule is the default topology: the gateway and every service in one process,
 * talking over the in-process transport, with blobs and SQLite metadata under one data root; ports
 * such as the blob store and the exporter's archives are direct calls. It is the same code the
 * cluster runs; only the wiring differs.
 */
@Module({})
export class EmbeddedModule {
  static forRoot(options: EmbeddedOptions): DynamicModule {
    return {
      module: EmbeddedModule,
      imports: [
        MessagingModule.forRoot({ kind: 'in-process', broker: options.broker }),
        BlobstoreServiceModule.forRoot({
          dataRoot: options.dataRoot,
          ingestLimits: ingestLimitsOf(options.daemon),
        }),
        MetadataServiceModule.forRoot({
          store: { kind: 'sqlite', path: join(options.dataRoot, 'metadata.db') },
          dataRoot: options.dataRoot,
        }),
        UpstreamModule.forRoot(options.daemon),
        ResolverServiceModule,
        // Every fetcher there is runs here: downloads coordinate in memory, with no metadata round trip.
        FetcherServiceModule.forRoot({ coordination: 'local' }),
        ExporterServiceModule.forRoot({ importUrlAllowlist: options.daemon.importUrlAllowlist }),
        RuntimeServiceModule.forRoot({ dataRoot: options.dataRoot }),
        GatewayHttpModule,
        registryModule(options.daemon),
      ],
    };
  }
}
