import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { InternalEndpoint, closeInternal, listenInternal } from '@stevedore/internal-http';
import { CONTAINER_IO, ContainerIo } from '@stevedore/runtime-http';
import { createContainerIoHttpHandler } from './container-io-http.handler';
import { createContainerIoUpgradeHandler } from './container-io-upgrade';

export type { InternalEndpoint } from '@stevedore/internal-http';

/** Where the internal runtime endpoint listens (cluster topology only). */
export const INTERNAL_RUNTIME_LISTEN = Symbol('INTERNAL_RUNTIME_LISTEN');

/**
 * InternalRuntimeServer serves the runtime's container streams to the gateways of a cluster:
 * attach and exec as HTTP upgrades, logs, `docker cp` and export as streamed HTTP, behind the
 * cluster's token. Streams never cross the bus.
 */
@Injectable()
export class InternalRuntimeServer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InternalRuntimeServer.name);
  private readonly sessions = new Set<Duplex>();
  private server: Server | undefined;

  constructor(
    @Inject(CONTAINER_IO) private readonly io: ContainerIo,
    @Inject(INTERNAL_RUNTIME_LISTEN) private readonly listen: InternalEndpoint,
  ) {}

  async onModuleInit(): Promise<void> {
    const track = (socket: Duplex) => {
      this.sessions.add(socket);
      socket.once('close', () => this.sessions.delete(socket));
    };
    this.server = await listenInternal(
      createContainerIoHttpHandler(this.io),
      this.listen,
      createContainerIoUpgradeHandler(this.io, track),
    );
    const { host, port } = this.listen;
    this.logger.log({ msg: 'internal runtime endpoint listening', host, port });
  }

  async onModuleDestroy(): Promise<void> {
    // Upgraded connections left the HTTP server: cut them here. The containers live on.
    for (const socket of this.sessions) socket.destroy();
    await closeInternal(this.server);
  }
}
