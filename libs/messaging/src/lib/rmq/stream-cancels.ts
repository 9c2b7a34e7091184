import { Logger } from '@nestjs/common';
import { AmqpConnectionManager, ChannelWrapper, connect } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { CANCEL_STREAM_V1, CancelStreamV1 } from '@stevedore/contracts';
import { ActiveStreams, activeStreams, streamIdOf } from '../stream-cancellation';
import { DEFAULT_NAMESPACE } from './rmq.options';

const logger = new Logger('bus');
const connectionOptions = { heartbeatIntervalInSeconds: 5 };

/** The fanout exchange cancel broadcasts go through; every service process binds a queue of its own. */
export function cancelExchange(namespace = DEFAULT_NAMESPACE): string {
  return `${namespace}.stream-cancels`;
}

async function declare(channel: ConfirmChannel, namespace: string): Promise<void> {
  await channel.assertExchange(cancelExchange(namespace), 'fanout', { durable: false });
}

/**
 * RmqStreamCancelSender broadcasts {@link CANCEL_STREAM_V1} for streams a caller stopped listening
 * to. It connects on first use (most processes never cancel anything); a cancel sent while the
 * broker is away is dropped, since the stream it names has gone quiet or will be cancelled by its
 * own failure meanwhile.
 */
export class RmqStreamCancelSender {
  private link: { connection: AmqpConnectionManager; channel: ChannelWrapper } | undefined;

  constructor(
    private readonly url: string,
    private readonly namespace = DEFAULT_NAMESPACE,
  ) {}

  send(streamId: string): void {
    const message: { pattern: string; data: CancelStreamV1 } = {
      pattern: CANCEL_STREAM_V1,
      data: { streamId },
    };
    this.channel()
      .publish(cancelExchange(this.namespace), '', Buffer.from(JSON.stringify(message)), {
        persistent: false,
        timeout: 5_000,
      })
      .catch((err: unknown) => logger.warn(`a stream cancel was not sent: ${String(err)}`));
  }

  async close(): Promise<void> {
    await this.link?.connection.close();
  }

  private channel(): ChannelWrapper {
    if (!this.link) {
      const connection = connect([this.url], connectionOptions);
      const channel = connection.createChannel({
        setup: (ch: ConfirmChannel) => declare(ch, this.namespace),
      });
      this.link = { connection, channel };
    }
    return this.link.channel;
  }
}

/** A listener to the cancel broadcast: `ready` once it hears, `close` to stop. */
export interface StreamCancelListener {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * listenForStreamCancels binds an exclusive queue of this process to the cancel broadcast and
 * stops each stream it answers that a caller called off. It reconnects with the broker.
 */
export function listenForStreamCancels(
  url: string,
  namespace = DEFAULT_NAMESPACE,
  streams: ActiveStreams = activeStreams,
): StreamCancelListener {
  const connection = connect([url], connectionOptions);
  const channel = connection.createChannel({
    setup: async (ch: ConfirmChannel) => {
      await declare(ch, namespace);
      const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
      await ch.bindQueue(queue, cancelExchange(namespace), '');
      await ch.consume(
        queue,
        (message) => {
          const id = message ? streamIdOf(message.content) : undefined;
          if (id) streams.cancel(id);
        },
        { noAck: true },
      );
    },
  });
  return { ready: channel.waitForConnect(), close: () => connection.close() };
}
