import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { InProcessBroker } from './in-process.broker';

/**
 * InProcessServer is the embedded topology's transport: it exposes this Nest app's
 * `@MessagePattern` handlers to {@link InProcessClient}s through a shared broker, so the
 * same handlers, pipes, filters and interceptors run as over RabbitMQ.
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  listen(callback: () => void): void {
    this.broker.register(this);
    callback();
  }

  close(): void {
    this.broker.unregister(this);
  }

  on(): void {
    // No transport-level events exist in-process.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }
}
