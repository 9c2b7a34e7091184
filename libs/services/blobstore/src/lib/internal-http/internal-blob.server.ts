import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Server, createServer } from 'node:http';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import { createBlobHttpHandler } from './blob-http.handler';

/** Where the internal blob endpoint listens (cluster topology only). */
export const INTERNAL_BLOB_LISTEN = Symbol('INTERNAL_BLOB_LISTEN');
export interface ListenAddress {
  host: string;
  port: number;
}

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
    @Inject(INTERNAL_BLOB_LISTEN) private readonly listen: ListenAddress,
  ) {}

  async onModuleInit(): Promise<void> {
    const server = createServer(createBlobHttpHandler(this.store));
    server.requestTimeout = 0; // blob bodies may stream for a long time
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listen.port, this.listen.host, resolve);
    });
    this.server = server;
    this.logger.log({
      msg: 'internal blob endpoint listening',
      host: this.listen.host,
      port: this.listen.port,
    });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
