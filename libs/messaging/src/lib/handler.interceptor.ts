import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RmqContext } from '@nestjs/microservices';
import { Observable, finalize } from 'rxjs';
import { CORRELATION_HEADER, Correlation } from './correlation';

interface AmqpChannel { ack(message: object): void }

/**
 * MessageHandlerInterceptor runs every handler inside the caller's correlation id and
 * acknowledges the message only once the handler has finished (its work is durable then),
 * so a process that dies mid-work leaves the message to be redelivered.
 */
@Injectable()
export class MessageHandlerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rmq = context.switchToRpc().getContext<RmqContext>();
    const message = rmq.getMessage() as { properties?: { headers?: Record<string, unknown> } };
    const id = message.properties?.headers?.[CORRELATION_HEADER];
    const correlationId = typeof id === 'string' ? id : Correlation.currentOrNew();
    const channel = rmq.getChannelRef() as AmqpChannel;
    return new Observable((subscriber) =>
      Correlation.run(correlationId, () =>
        next
          .handle()
          .pipe(finalize(() => ackQuietly(channel, message)))
          .subscribe(subscriber),
      ),
    );
  }
}

/** Acks after the work; on a channel that died meanwhile the broker redelivers instead, which is safe. */
function ackQuietly(channel: AmqpChannel, message: object): void {
  try {
    channel.ack(message);
  } catch {
    // The connection is gone: the message goes back to the queue and handlers are idempotent.
  }
}
