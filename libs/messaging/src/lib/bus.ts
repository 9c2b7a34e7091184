import { ClientProxy, RmqRecordBuilder } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Observable, catchError, firstValueFrom, lastValueFrom, throwError, timeout } from 'rxjs';
import { CORRELATION_HEADER, Correlation } from './correlation';
import { STREAM_HEADER } from './stream-cancellation';
import { errorFromWire, unavailableWire } from './wire-error';

/** Options of one request. */
export interface SendOptions {
  /** Milliseconds to wait for the reply (for streams: the longest silence). Default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Lane is where an event goes besides its owner's queue: `delayed` comes back to the owner's queue
 * after a per-message delay (a dead-lettering retry queue over RabbitMQ), `parked` is set aside
 * for an operator (a queue nobody consumes).
 */
export type Lane = 'direct' | 'delayed' | 'parked';

/** Chooses the client that reaches the owner of a pattern (`<owner>.<aggregate>.<verb>.vN`) on a lane. */
export type ClientRouter = (pattern: string, lane?: Lane) => ClientProxy;

/**
 * Tells the handler of stream `streamId` that its caller stopped listening. Over RabbitMQ the
 * handler's replica must hear it; in-process, unsubscribing reaches the handler by itself.
 */
export type StreamAbandoned = (streamId: string) => void;

/** Options of one event. */
export interface EmitOptions {
  /** Deliver no sooner than this many milliseconds from now. */
  delayMs?: number;
}

/**
 * Bus is how services talk: typed request/response (`send`), request with a stream of
 * replies (`stream`), and fire-and-forget events (`emit`). Every message carries the current
 * correlation id; errors come back as the same DomainError the handler threw.
 */
export class Bus {
  constructor(
    private readonly route: ClientRouter,
    private readonly abandoned?: StreamAbandoned,
  ) {}

  /** Sends `payload` to the owner of `pattern` and resolves with its single (last) reply. */
  async send<TResponse>(
    pattern: string,
    payload: object,
    options: SendOptions = {},
  ): Promise<TResponse> {
    return lastValueFrom(this.stream<TResponse>(pattern, payload, options));
  }

  /**
   * Sends `payload` and emits every reply the handler streams back, until it completes. A caller
   * that unsubscribes first (or times out) calls the handler's work off.
   */
  stream<TEvent>(pattern: string, payload: object, options: SendOptions = {}): Observable<TEvent> {
    const ms = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const streamId = randomUUID();
    // Transient: a request lives only as long as its caller waits, and it may carry a registry
    // credential (a login's password, X-Registry-Auth) that must never reach the broker's disk.
    const record = this.record(payload, { persistent: false }, { [STREAM_HEADER]: streamId });
    return this.untilAbandoned(this.route(pattern).send<TEvent>(pattern, record), streamId).pipe(
      timeout({ each: ms, with: () => throwError(() => timeoutError(pattern, ms)) }),
      catchError((err: unknown) => throwError(() => errorFromWire(err))),
    );
  }

  /**
   * Publishes an event, durable (persistent) on its owner's queue; resolves once the transport has
   * taken it. The broker writes it to disk: an event must never carry a credential.
   */
  async emit(pattern: string, payload: object, options: EmitOptions = {}): Promise<void> {
    const delayMs = Math.max(0, Math.round(options.delayMs ?? 0));
    const client = this.route(pattern, delayMs > 0 ? 'delayed' : 'direct');
    const record = this.record(payload, delayMs > 0 ? { expiration: String(delayMs) } : {});
    await firstValueFrom(client.emit(pattern, record), { defaultValue: undefined });
  }

  /** Parks an event that will not be retried any more, where an operator can inspect it. */
  async park(pattern: string, payload: object): Promise<void> {
    await firstValueFrom(this.route(pattern, 'parked').emit(pattern, this.record(payload)), {
      defaultValue: undefined,
    });
  }

  /** untilAbandoned passes `replies` on, and says so when its subscriber leaves before the end. */
  private untilAbandoned<T>(replies: Observable<T>, streamId: string): Observable<T> {
    const abandoned = this.abandoned;
    if (!abandoned) return replies;
    return new Observable<T>((subscriber) => {
      let ended = false;
      const subscription = replies.subscribe({
        next: (value) => subscriber.next(value),
        error: (err: unknown) => ((ended = true), subscriber.error(err)),
        complete: () => ((ended = true), subscriber.complete()),
      });
      return () => {
        subscription.unsubscribe();
        if (!ended) abandoned(streamId);
      };
    });
  }

  private record(
    payload: object,
    options: { expiration?: string; persistent?: boolean } = {},
    extraHeaders: Record<string, string> = {},
  ) {
    const headers = { [CORRELATION_HEADER]: Correlation.currentOrNew(), ...extraHeaders };
    return new RmqRecordBuilder(payload).setOptions({ headers, ...options }).build();
  }
}

function timeoutError(pattern: string, ms: number) {
  return unavailableWire(pattern, `no answer to ${pattern} within ${ms} ms`);
}
