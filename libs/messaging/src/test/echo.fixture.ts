import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Ctx,
  MessagePattern,
  MicroserviceOptions,
  Payload,
  RmqContext,
} from '@nestjs/microservices';
import { IsInt, IsString, Min } from 'class-validator';
import { Observable, interval, map, take } from 'rxjs';
import { DomainError } from '@stevedore/domain';
import { Correlation } from '../lib/correlation';
import { configureMessageHandlers } from '../lib/configure-handlers';

export class EchoRequest {
  @IsString() text!: string;
}

export class CountRequest {
  @IsInt() @Min(1) upTo!: number;
}

/** A service used only by the messaging tests: echo, count (stream), fail, correlation. */
@Controller()
export class EchoHandler {
  @MessagePattern('echo.text.say.v1')
  say(@Payload() request: EchoRequest): { text: string; isInstance: boolean } {
    return { text: request.text, isInstance: request instanceof EchoRequest };
  }

  @MessagePattern('echo.number.count.v1')
  count(@Payload() request: CountRequest): Observable<{ n: number }> {
    return interval(5).pipe(
      take(request.upTo),
      map((i) => ({ n: i + 1 })),
    );
  }

  /** How many `forever` streams are still running (their callers have not called them off). */
  static running = 0;

  @MessagePattern('echo.number.forever.v1')
  forever(): Observable<{ n: number }> {
    return new Observable((subscriber) => {
      EchoHandler.running += 1;
      let n = 0;
      const timer = setInterval(() => subscriber.next({ n: (n += 1) }), 5);
      return () => {
        clearInterval(timer);
        EchoHandler.running -= 1;
      };
    });
  }

  @MessagePattern('echo.text.fail.v1')
  fail(): never {
    throw new DomainError('NOT_FOUND', 'no such echo: nope');
  }

  @MessagePattern('echo.text.crash.v1')
  crash(): never {
    throw new Error('secret internals that must not leak');
  }

  /** Over RabbitMQ: whether the request arrived as a persistent message (delivery mode 2). */
  /** A stream that fails as a write on a full disk does: a raw ENOSPC, not a domain error. */
  @MessagePattern('echo.disk.full.v1')
  diskFull(): Observable<{ n: number }> {
    return new Observable((subscriber) => {
      subscriber.next({ n: 1 });
      subscriber.error(
        Object.assign(new Error("ENOSPC: no space left on device, write '/data/x'"), {
          code: 'ENOSPC',
          syscall: 'write',
        }),
      );
    });
  }

  @MessagePattern('echo.delivery.persistent.v1')
  persistent(@Ctx() context: RmqContext): { persistent: boolean } {
    const message = context.getMessage() as { properties: { deliveryMode?: number } };
    return { persistent: message.properties.deliveryMode === 2 };
  }

  @MessagePattern('echo.text.correlation.v1')
  correlation(): { id: string | undefined } {
    return { id: Correlation.current() };
  }
}

@Module({ controllers: [EchoHandler] })
export class EchoModule {}

/** Starts the echo service on `options` with the same pipes/filters/interceptors as our apps. */
export async function startEchoService(options: MicroserviceOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
    ...options,
    logger: false,
  });
  configureMessageHandlers(app);
  await app.listen();
  return app;
}
