import { ChannelModel, connect } from 'amqplib';
import { Gauge } from 'prom-client';
import { METRICS } from '@stevedore/observability';

/** One broker read serves the gauges of one scrape (prom-client collects them concurrently). */
const READ_REUSE_MS = 500;

interface QueueState {
  messageCount: number;
  consumerCount: number;
}

/**
 * watchQueueLag makes `/metrics` report how many messages wait in `queue` and how many consumers
 * take from it, read from the broker on each scrape (a passive queue check on a connection of its
 * own): the backlog an autoscaler or an operator looks at. A failed read leaves the last values.
 */
export function watchQueueLag(amqpUrl: string, queue: string): void {
  const read = queueReader(amqpUrl, queue);
  const gauge = (name: string, help: string, pick: (q: QueueState) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [METRICS],
      async collect() {
        const q = await read().catch(() => undefined);
        if (q) this.set({ queue }, pick(q));
      },
    });
  gauge(
    'stevedore_queue_messages',
    'Messages waiting in this service’s queue.',
    (q) => q.messageCount,
  );
  gauge(
    'stevedore_queue_consumers',
    'Consumers of this service’s queue (its replicas).',
    (q) => q.consumerCount,
  );
}

/** queueReader reads `queue`'s state, sharing one read among the calls of READ_REUSE_MS. */
function queueReader(amqpUrl: string, queue: string): () => Promise<QueueState> {
  let connection: Promise<ChannelModel> | undefined;
  let last: { at: number; read: Promise<QueueState> } | undefined;
  const check = async () => {
    connection ??= connect(amqpUrl, { noDelay: true });
    const channel = await (await connection).createChannel();
    try {
      return await channel.checkQueue(queue);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };
  return () => {
    if (!last || Date.now() - last.at > READ_REUSE_MS) {
      last = { at: Date.now(), read: check() };
      last.read.catch(() => (connection = undefined)); // reconnect on the next scrape
    }
    return last.read;
  };
}
