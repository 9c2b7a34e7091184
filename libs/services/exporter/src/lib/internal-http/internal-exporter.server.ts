import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Server, createServer } from 'node:http';
import { ARCHIVES, Archives } from '@stevedore/exporter-http';
import { createArchivesHttpHandler } from './archives-http.handler';

/** Where the internal exporter endpoint listens (cluster topology only). */
export const INTERNAL_EXPORTER_LISTEN = Symbol('INTERNAL_EXPORTER_LISTEN');
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * InternalExporterServer serves the exporter's streaming HTTP protocol to the gateways of a
 * cluster (archives to load and import, tars to save); streams never cross the bus.
 */
@Injectable()
export class InternalExporterServer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InternalExporterServer.name);
  private server: Server | undefined;

  constructor(
    @Inject(ARCHIVES) private readonly archives: Archives,
    @Inject(INTERNAL_EXPORTER_LISTEN) private readonly listen: ListenAddress,
  ) {}

  async onModuleInit(): Promise<void> {
    const server = createServer(createArchivesHttpHandler(this.archives));
    server.requestTimeout = 0; // archives may stream for a long time
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listen.port, this.listen.host, resolve);
    });
    this.server = server;
    this.logger.log({
      msg: 'internal exporter endpoint listening',
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
