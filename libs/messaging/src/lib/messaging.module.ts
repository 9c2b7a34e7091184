import { DynamicModule, Module } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';
import { Bus, ClientRouter } from './bus';
import { ContentLeases } from './content-leases';
import { InProcessBroker } from './in-process/in-process.broker';
import { InProcessClient } from './in-process/in-process.client';
import { ownerOf, rmqClientOptions } from './rmq/rmq.options';

/** How this process reaches the other services. */
export type BusTransport =
  | { kind: 'in-process'; broker: InProcessBroker }
  | { kind: 'rmq'; url: string; namespace?: string };

/**
 * MessagingModule provides the {@link Bus}, and {@link ContentLeases} which talks over it.
 * In-process, every pattern goes to the shared broker; over RabbitMQ, to the queue of the
 * pattern's owner (one client per owner, made on first use).
 */
@Module({})
export class MessagingModule {
  static forRoot(transport: BusTransport): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: Bus, useFactory: () => new Bus(routerFor(transport)) }, ContentLeases],
      exports: [Bus, ContentLeases],
    };
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
