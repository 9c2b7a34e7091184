import { INestMicroservice, ValidationPipe } from '@nestjs/common';
import { MessageHandlerInterceptor } from './handler.interceptor';
import { DomainRpcExceptionFilter } from './rpc-error.filter';

/**
 * configureMessageHandlers gives a microservice (RabbitMQ or in-process) what every message
 * handler relies on: payloads validated into their contract classes (unknown fields refused),
 * errors sent back as domain codes, correlation ids and ack-after-work.
 */
export function configureMessageHandlers(app: INestMicroservice): INestMicroservice {
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new DomainRpcExceptionFilter());
  app.useGlobalInterceptors(new MessageHandlerInterceptor());
  return app;
}
