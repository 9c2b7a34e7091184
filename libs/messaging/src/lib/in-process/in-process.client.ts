import { Logger } from '@nestjs/common';
import { ClientProxy, ReadPacket, RmqContext, RmqRecord, WritePacket } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import type { Lane } from '../bus';
import { InProcessBroker } from './in-process.broker';
import { unavailableWire } from '../wire-error';

/** A channel stand-in: in-process messages need no acknowledgement. */
const NO_ACK_CHANNEL = { ack: (): void => undefined, nack: (): void => undefined };

/**
 * InProcessClient sends to handlers registered on the same {@link InProcessBroker}.
 * Payloads go through a JSON round trip, exactly as they would over AMQP, so a handler never
 * shares mutable objects with its caller and validation sees the same plain data.
 */
export class InProcessClient extends ClientProxy {
  private readonly logger = new Logger('bus');

  constructor(
    private readonly broker: InProcessBroker,
    private readonly side: Lane = 'direct',
  ) {
    super();
  }

  /** lane returns a client for the same broker that delivers events on `lane` (see {@link Lane}). */
  lane(lane: Lane): InProcessClient {
    return new InProcessClient(this.broker, lane);
  }

  async connect(): Promise<void> {
    // Nothing to connect to.
  }

  close(): void {
    // Nothing to close.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let subscription: { unsubscribe(): void } | undefined;
    let cancelled = false;
    void this.run(packet).then(
      (response$) => {
        if (cancelled) return;
        subscription = response$.subscribe({
          next: (response) => callback({ response: roundTrip(response) }),
          error: (err: unknown) => callback({ err: roundTrip(err), isDisposed: true }),
          complete: () => callback({ isDisposed: true }),
        });
      },
      (err: unknown) => callback({ err: roundTrip(err), isDisposed: true }),
    );
    return () => {
      cancelled = true;
      subscription?.unsubscribe();
    };
  }

  /**
   * Events behave as on a queue: taken at once, handled in the background (after the record's
   * `expiration` on the delayed lane), a failure logged, never thrown back at the publisher.
   * A parked event is only logged: in one process there is no operator queue to keep it in.
   */
  protected async dispatchEvent<T>(packet: ReadPacket): Promise<T> {
    const pattern = String(packet.pattern);
    if (this.side === 'parked') {
      this.logger.warn(`parked ${pattern} after its last attempt`);
      return undefined as T;
    }
    const expiration =
      packet.data instanceof RmqRecord ? Number(packet.data.options?.expiration ?? 0) : 0;
    const handle = () =>
      this.run(packet).then(
        (response$) =>
          response$.subscribe({
            error: (err: unknown) => this.logger.error(`${pattern} failed: ${errorText(err)}`),
          }),
        (err: unknown) => this.logger.error(`${pattern} failed: ${errorText(err)}`),
      );
    setTimeout(handle, this.side === 'delayed' ? expiration : 0);
    return undefined as T;
  }

  private async run(packet: ReadPacket): Promise<Observable<unknown>> {
    const pattern =
      typeof packet.pattern === 'string' ? packet.pattern : JSON.stringify(packet.pattern);
    const handler = this.broker.handler(pattern);
    if (!handler) throw unavailableWire(pattern, `no handler for ${pattern}`);
    const { data, headers } = unwrapRecord(packet.data);
    const message = { content: Buffer.alloc(0), fields: {}, properties: { headers } };
    const context = new RmqContext([message, NO_ACK_CHANNEL, pattern]);
    const result: unknown = await handler(roundTrip(data), context);
    return result instanceof Observable
      ? result
      : new Observable((s) => (s.next(result), s.complete()));
  }
}

function unwrapRecord(data: unknown): { data: unknown; headers: Record<string, unknown> } {
  if (data instanceof RmqRecord)
    return { data: data.data, headers: { ...(data.options?.headers ?? {}) } };
  return { data, headers: {} };
}

function roundTrip(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value instanceof Error) return { ...value, message: value.message };
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(err);
}
