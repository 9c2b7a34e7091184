import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RmqContext } from '@nestjs/microservices';
import { Observable, Subscription } from 'rxjs';
import { isDomainError } from '@stevedore/domain';
import { recordMessage } from '@stevedore/observability';
import { CORRELATION_HEADER, Correlation } from './correlation';
import { STREAM_HEADER, activeStreams } from './stream-cancellation';

interface AmqpChannel {
  ack(message: object): void;
  nack(message: object, allUpTo?: boolean, requeue?: boolean): void;
}

interface AmqpMessage {
  properties?: { headers?: Record<string, unknown>; replyTo?: string };
}

/** How long a failed event waits before it goes back to the queue (no hot loop while a dependency is down). */
const EVENT_REQUEUE_DELAY_MS = 1_000;

/**
 * MessageHandlerInterceptor runs every handler inside the caller's correlation id and
 * acknowledges the message only once the handler has finished (its work is durable then), so a
 * process that dies mid-work leaves the message to be redelivered. A request is acked either way
 * (its caller got the error); an event whose handler failed goes back to the queue, because no
 * one else would ever learn that its work was not done. A request its caller called off (see
 * {@link STREAM_HEADER}) is stopped, acknowledged and completed.
 */
@Injectable()
export class MessageHandlerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rmq = context.switchToRpc().getContext<RmqContext>();
    const message = rmq.getMessage() as AmqpMessage;
    const id = message.properties?.headers?.[CORRELATION_HEADER];
    const correlationId = typeof id === 'string' ? id : Correlation.currentOrNew();
    const channel = rmq.getChannelRef() as AmqpChannel;
    const isEvent = !message.properties?.replyTo;
    const pattern = String(context.switchToRpc().getContext<RmqContext>().getPattern());
    const streamId = message.properties?.headers?.[STREAM_HEADER];
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    return new Observable((subscriber) => {
      const subscription = Correlation.run(correlationId, () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (err: unknown) => {
            recordMessage(pattern, isDomainError(err) ? err.code : 'INTERNAL', seconds());
            settleFailure(isEvent, channel, message);
            subscriber.error(err);
          },
          complete: () => {
            recordMessage(pattern, 'ok', seconds());
            settle(() => channel.ack(message));
            subscriber.complete();
          },
        }),
      );
      return whenCalledOff(subscription, isEvent ? undefined : streamId, () => {
        recordMessage(pattern, 'CANCELLED', seconds());
        settle(() => channel.ack(message));
        subscriber.complete();
      });
    });
  }
}

/**
 * whenCalledOff lets the caller of a streamed request stop it by its stream id: the handler is
 * unsubscribed, then `stopped` runs. Returns the teardown of the request.
 */
function whenCalledOff(
  subscription: Subscription,
  streamId: unknown,
  stopped: () => void,
): () => void {
  if (typeof streamId !== 'string') return () => subscription.unsubscribe();
  const forget = activeStreams.register(streamId, () => {
    subscription.unsubscribe();
    stopped();
  });
  subscription.add(forget);
  return () => {
    forget();
    subscription.unsubscribe();
  };
}

/** A failed event goes back to its queue after a pause; a failed request is done (its caller knows). */
function settleFailure(isEvent: boolean, channel: AmqpChannel, message: AmqpMessage): void {
  if (isEvent)
    setTimeout(() => settle(() => channel.nack(message, false, true)), EVENT_REQUEUE_DELAY_MS);
  else settle(() => channel.ack(message));
}

/** settle acks or nacks; on a channel that died meanwhile the broker redelivers instead, which is safe. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // The connection is gone: the message goes back to the queue and handlers are idempotent.
  }
}
