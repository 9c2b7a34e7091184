import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Server } from 'node:http';
import { BLOB_STORE, BLOB_UPLOADS, BlobStore, BlobUploads } from '@stevedore/blob-port';
import { InternalEndpoint, closeInternal, listenInternal } from '@stevedore/internal-http';
import { createBlobHttpHandler } from './blob-http.handler';

export type { InternalEndpoint } from '@stevedore/internal-http';

/** Where the internal blob endpoint listens (cluster topology only). */
export const INTERNAL_BLOB_LISTEN = Symbol('INTERNAL_BLOB_LISTEN');

/**
 * InternalBlobServer serves the blob store's streaming HTTP protocol to the other services
 * of a cluster (fetcher ingests, exporter and gateway read); bytes never cross the bus.
 */
@Injectable()
export class InternalBlobServer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InternalBlobServer.name);
  private server: Server | undefined;

  constructor(
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(INTERNAL_BLOB_LISTEN) private readonly listen: InternalEndpoint,
    @Inject(BLOB_UPLOADS) private readonly uploads: BlobUploads,
  ) {}

  async onModuleInit(): Promise<void> {
    this.server = await listenInternal(
      createBlobHttpHandler(this.store, this.uploads),
      this.listen,
    );
    const { host, port } = this.listen;
    this.logger.log({ msg: 'internal blob endpoint listening', host, port });
  }

  onModuleDestroy(): Promise<void> {
    return closeInternal(this.server);
  }
}
