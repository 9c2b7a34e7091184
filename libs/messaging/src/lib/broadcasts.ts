import { Logger } from '@nestjs/common';
import { AmqpConnectionManager, ChannelWrapper, connect } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { EventEmitter } from 'node:events';
import { DEFAULT_NAMESPACE } from './rmq/rmq.options';

const logger = new Logger('bus');

/**
 * Broadcasts deliver a message to every process that listens on a channel (every gateway replica,
 * say), not to one consumer. Publishing never waits and never fails its caller: a message the
 * broker cannot take is dropped with a warning, since a broadcast is news, not work.
 */
export abstract class Broadcasts {
  /** publish sends `payload` to every listener of `channel`; fire-and-forget. */
  abstract publish(channel: string, payload: object): void;
  /** listen calls `handler` with each message of `channel` until the returned function is called. */
  abstract listen(channel: string, handler: (payload: unknown) => void): () => void;
  abstract close(): Promise<void>;
}

/** InProcessBroadcasts are the embedded topology's: one process, so an emitter. */
export class InProcessBroadcasts extends Broadcasts {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(channel: string, payload: object): void {
    // Next tick: a publisher never runs its listeners' work (and never sees their errors).
    setImmediate(() => this.emitter.emit(channel, payload));
  }

  listen(channel: string, handler: (payload: unknown) => void): () => void {
    this.emitter.on(channel, handler);
    return () => this.emitter.off(channel, handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** broadcastExchange is the fanout exchange of one channel; each listener binds a queue of its own. */
export function broadcastExchange(channel: string, namespace = DEFAULT_NAMESPACE): string {
  return `${namespace}.broadcast.${channel}`;
}

/**
 * RmqBroadcasts go through a fanout exchange per channel (not durable: a broadcast nobody hears is
 * lost, as intended); each listener has an exclusive, auto-deleted queue, rebound on reconnect.
 */
export class RmqBroadcasts extends Broadcasts {
  private connection: AmqpConnectionManager | undefined;
  private publisher: ChannelWrapper | undefined;
  private readonly declared = new Set<string>();

  constructor(
    private readonly url: string,
    private readonly namespace = DEFAULT_NAMESPACE,
  ) {
    super();
  }

  publish(channel: string, payload: object): void {
    const exchange = broadcastExchange(channel, this.namespace);
    const wrapper = this.publishChannel();
    const ready = this.declared.has(exchange)
      ? Promise.resolve()
      : wrapper.addSetup((ch: ConfirmChannel) =>
          ch.assertExchange(exchange, 'fanout', { durable: false }),
        );
    this.declared.add(exchange);
    ready
      .then(() =>
        wrapper.publish(exchange, '', Buffer.from(JSON.stringify(payload)), {
          persistent: false,
          timeout: 5_000,
        }),
      )
      .catch((err: unknown) =>
        logger.warn(`a broadcast on ${channel} was dropped: ${String(err)}`),
      );
  }

  listen(channel: string, handler: (payload: unknown) => void): () => void {
    const exchange = broadcastExchange(channel, this.namespace);
    const wrapper = this.link().createChannel({
      setup: async (ch: ConfirmChannel) => {
        await ch.assertExchange(exchange, 'fanout', { durable: false });
        const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
        await ch.bindQueue(queue, exchange, '');
        await ch.consume(queue, (message) => message && deliver(message.content, handler), {
          noAck: true,
        });
      },
    });
    return () => void wrapper.close().catch(() => undefined);
  }

  /** ready resolves once the broker connection is up (listeners bound before a publish is heard). */
  async ready(): Promise<void> {
    await this.publishChannel().waitForConnect();
  }

  async close(): Promise<void> {
    await this.connection?.close();
  }

  private link(): AmqpConnectionManager {
    this.connection ??= connect([this.url], { heartbeatIntervalInSeconds: 5 });
    return this.connection;
  }

  private publishChannel(): ChannelWrapper {
    this.publisher ??= this.link().createChannel({});
    return this.publisher;
  }
}

function deliver(content: Buffer, handler: (payload: unknown) => void): void {
  try {
    handler(JSON.parse(content.toString('utf8')));
  } catch (err) {
    logger.warn(`a broadcast could not be handled: ${String(err)}`);
  }
}
