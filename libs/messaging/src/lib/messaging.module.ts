import { DynamicModule, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { Broadcasts, InProcessBroadcasts, RmqBroadcasts } from './broadcasts';
import { Bus, ClientRouter } from './bus';
import { ContentLeases } from './content-leases';
import { InProcessBroker } from './in-process/in-process.broker';
import { InProcessClient } from './in-process/in-process.client';
import { ownerOf, rmqClientOptions } from './rmq/rmq.options';
import { RmqStreamCancelSender } from './rmq/stream-cancels';

/** How this process reaches the other services. */
export type BusTransport =
  | { kind: 'in-process'; broker: InProcessBroker }
  | { kind: 'rmq'; url: string; namespace?: string };

/**
 * MessagingModule provides the {@link Bus}, and {@link ContentLeases} which talks over it.
 * In-process, every pattern goes to the shared broker; over RabbitMQ, to the queue of the
 * pattern's owner (one client per owner, made on first use), and a stream its caller leaves is
 * called off by a broadcast (in-process, unsubscribing reaches the handler by itself). It also
 * provides {@link Broadcasts}: a fanout over the broker, or an emitter in-process.
 */
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(
    @Optional()
    @Inject(RmqStreamCancelSender)
    private readonly cancels?: RmqStreamCancelSender,
    @Optional() private readonly broadcasts?: Broadcasts,
  ) {}

  static forRoot(transport: BusTransport): DynamicModule {
    const cancels =
      transport.kind === 'rmq'
        ? [
            {
              provide: RmqStreamCancelSender,
              useFactory: () => new RmqStreamCancelSender(transport.url, transport.namespace),
            },
          ]
        : [];
    return {
      module: MessagingModule,
      global: true,
      providers: [
        ...cancels,
        {
          provide: Bus,
          useFactory: (sender?: RmqStreamCancelSender) =>
            new Bus(routerFor(transport), sender && ((id) => sender.send(id))),
          inject: [{ token: RmqStreamCancelSender, optional: true }],
        },
        ContentLeases,
        {
          provide: Broadcasts,
          useFactory: () =>
            transport.kind === 'rmq'
              ? new RmqBroadcasts(transport.url, transport.namespace)
              : new InProcessBroadcasts(),
        },
      ],
      exports: [Bus, ContentLeases, Broadcasts],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cancels?.close();
    await this.broadcasts?.close();
  }
}

function routerFor(transport: BusTransport): ClientRouter {
  if (transport.kind === 'in-process') {
    const client = new InProcessClient(transport.broker);
    return (_pattern, lane = 'direct') => (lane === 'direct' ? client : client.lane(lane));
  }
  const clients = new Map<string, ClientProxy>();
  return (pattern, lane = 'direct') => {
    const owner = ownerOf(pattern);
    const key = `${owner}/${lane}`;
    let client = clients.get(key);
    if (!client) {
      client = ClientProxyFactory.create(
        rmqClientOptions(owner, transport.url, transport.namespace, lane),
      );
      clients.set(key, client);
    }
    return client;
  };
}
