import { ChannelModel, connect } from 'amqplib';
import { Gauge } from 'prom-client';
import { METRICS } from './metrics';

/** One broker read serves the gauges of one scrape (prom-client collects them concurrently). */
const READ_REUSE_MS = 500;

/**
 * watchQueueLag makes `/metrics` report how many messages wait in `queue` and how many consumers
 * take from it, read from the broker on each scrape (a passive queue check on a connection of its
 * own): the backlog an autoscaler or an operator looks at. A failed read leaves the last values.
 */
export function watchQueueLag(amqpUrl: string, queue: string): void {
  let connection: Promise<ChannelModel> | undefined;
  let last:
    { at: number; read: Promise<{ messageCount: number; consumerCount: number }> } | undefined;
  const check = async () => {
    connection ??= connect(amqpUrl, { noDelay: true });
    const channel = await (await connection).createChannel();
    try {
      return await channel.checkQueue(queue);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };
  const read = () => {
    if (!last || Date.now() - last.at > READ_REUSE_MS) {
      last = { at: Date.now(), read: check() };
      last.read.catch(() => (connection = undefined)); // reconnect on the next scrape
    }
    return last.read;
  };
  const gauge = (
    name: string,
    help: string,
    pick: (q: { messageCount: number; consumerCount: number }) => number,
  ) =>
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
