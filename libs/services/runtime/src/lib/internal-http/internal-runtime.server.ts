import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '@stevedore/domain';
import { InternalEndpoint, closeInternal, listenInternal } from '@stevedore/internal-http';
import { CONTAINER_IO, ContainerIo, IMAGE_BUILDER, ImageBuilder } from '@stevedore/runtime-http';
import { createContainerIoHttpHandler } from './container-io-http.handler';
import { createContainerIoUpgradeHandler } from './container-io-upgrade';

export type { InternalEndpoint } from '@stevedore/internal-http';

/** Where the internal runtime endpoint listens (cluster topology only). */
export const INTERNAL_RUNTIME_LISTEN = Symbol('INTERNAL_RUNTIME_LISTEN');

/**
 * InternalRuntimeServer serves the runtime's container streams to the gateways of a cluster:
 * attach and exec as HTTP upgrades, logs, `docker cp`, export and `docker build` as streamed
 * HTTP, behind the cluster's token. Streams never cross the bus.
 */
@Injectable()
export class InternalRuntimeServer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InternalRuntimeServer.name);
  private readonly sessions = new Set<Duplex>();
  private server: Server | undefined;

  private readonly io: ContainerIo;
  private readonly builder: ImageBuilder;

  constructor(
    @Inject(INTERNAL_RUNTIME_LISTEN) private readonly listen: InternalEndpoint,
    @Optional() @Inject(CONTAINER_IO) io?: ContainerIo,
    @Optional() @Inject(IMAGE_BUILDER) builder?: ImageBuilder,
  ) {
    // A runtime built without its streams still serves the bus: each stream is a clear 503.
    this.io = io ?? unavailableIo();
    this.builder = builder ?? { build: () => Promise.reject(unavailable()) };
  }

  async onModuleInit(): Promise<void> {
    const track = (socket: Duplex) => {
      this.sessions.add(socket);
      socket.once('close', () => this.sessions.delete(socket));
    };
    this.server = await listenInternal(
      createContainerIoHttpHandler(this.io, this.builder),
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

const unavailable = () =>
  new DomainError('UNAVAILABLE', 'this runtime serves no container streams');

/** unavailableIo answers every stream UNAVAILABLE, as a gateway without a runtime does. */
function unavailableIo(): ContainerIo {
  const refuse = () => Promise.reject(unavailable());
  return {
    attach: refuse,
    execStart: refuse,
    logs: refuse,
    statPath: refuse,
    getArchive: refuse,
    putArchive: refuse,
    export: refuse,
  };
}
