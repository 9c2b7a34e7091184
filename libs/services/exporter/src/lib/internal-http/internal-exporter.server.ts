import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Server } from 'node:http';
import { ARCHIVES, Archives } from '@stevedore/exporter-http';
import { InternalEndpoint, closeInternal, listenInternal } from '@stevedore/internal-http';
import { createArchivesHttpHandler } from './archives-http.handler';

export type { InternalEndpoint } from '@stevedore/internal-http';

/** Where the internal exporter endpoint listens (cluster topology only). */
export const INTERNAL_EXPORTER_LISTEN = Symbol('INTERNAL_EXPORTER_LISTEN');

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
    @Inject(INTERNAL_EXPORTER_LISTEN) private readonly listen: InternalEndpoint,
  ) {}

  async onModuleInit(): Promise<void> {
    this.server = await listenInternal(createArchivesHttpHandler(this.archives), this.listen);
    const { host, port } = this.listen;
    this.logger.log({ msg: 'internal exporter endpoint listening', host, port });
  }

  onModuleDestroy(): Promise<void> {
    return closeInternal(this.server);
  }
}
