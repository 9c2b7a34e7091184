import { RmqOptions, Transport } from '@nestjs/microservices';
import type { Lane } from '../bus';

/** The default bus namespace: the prefix of every queue name. */
export const DEFAULT_NAMESPACE = 'stevedore';

/**
 * The durable queue a service consumes: one per owner (`stevedore.fetcher`, ...). The namespace
 * lets several deployments (or test runs) share one broker without taking each other's messages.
 */
export function queueOf(owner: string, namespace = DEFAULT_NAMESPACE): string {
  return `${namespace}.${owner}`;
}

/** The owner of a pattern: its first dot-separated part (`fetcher.image.pull.v1` → `fetcher`). */
export function ownerOf(pattern: string): string {
  const owner = pattern.split('.', 1)[0];
  if (!owner) throw new Error(`pattern without an owner: ${pattern}`);
  return owner;
}

/**
 * TCP_NODELAY on every broker connection: amqplib leaves Nagle's algorithm on, and a small RPC
 * frame then waits out the peer's delayed ACK (~40 ms) at every hop of a request and its reply.
 * Heartbeats every 5 s: a dead or cut-off consumer is noticed within ~10 s and its unacked
 * messages go to another replica, instead of after the default minute or more.
 */
const socketOptions = { heartbeatIntervalInSeconds: 5, connectionOptions: { noDelay: true } };

/** Options for a service that consumes its queue: durable, manual ack, bounded prefetch. */
export function rmqServerOptions(
  owner: string,
  url: string,
  prefetchCount = 16,
  namespace = DEFAULT_NAMESPACE,
): RmqOptions {
  return {
    transport: Transport.RMQ,
    options: {
      urls: [url],
      queue: queueOf(owner, namespace),
      queueOptions: { durable: true },
      noAck: false,
      prefetchCount,
      persistent: true,
      socketOptions,
    },
  };
}

/**
 * Options for a client that sends to `owner`'s queue, or to one of its side queues: `.retry` holds
 * each message for its own `expiration` and then dead-letters it back to the owner's queue;
 * `.parked` keeps what exhausted its retries until an operator looks.
 */
export function rmqClientOptions(
  owner: string,
  url: string,
  namespace = DEFAULT_NAMESPACE,
  lane: Lane = 'direct',
): RmqOptions {
  const main = queueOf(owner, namespace);
  const side = {
    direct: { queue: main, queueOptions: { durable: true } },
    delayed: {
      queue: `${main}.retry`,
      queueOptions: {
        durable: true,
        arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': main },
      },
    },
    parked: { queue: `${main}.parked`, queueOptions: { durable: true } },
  }[lane];
  return {
    transport: Transport.RMQ,
    options: { urls: [url], ...side, persistent: true, socketOptions },
  };
}
