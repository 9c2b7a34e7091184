import type { MessageHandler } from '@nestjs/microservices';

/**
 * InProcessBroker is the switchboard of the embedded topology: servers register their
 * handlers here, clients look them up by pattern. One broker per process (or per test).
 */
export class InProcessBroker {
  private readonly servers = new Set<{
    getHandlerByPattern(pattern: string): MessageHandler | null;
  }>();

  register(server: { getHandlerByPattern(pattern: string): MessageHandler | null }): void {
    this.servers.add(server);
  }

  unregister(server: { getHandlerByPattern(pattern: string): MessageHandler | null }): void {
    this.servers.delete(server);
  }

  /** The handler for `pattern`, or null when no registered server knows it. */
  handler(pattern: string): MessageHandler | null {
    for (const server of this.servers) {
      const handler = server.getHandlerByPattern(pattern);
      if (handler) return handler;
    }
    return null;
  }
}
