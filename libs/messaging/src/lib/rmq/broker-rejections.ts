import { Logger } from '@nestjs/common';

/** Messages amqplib rejects publishes with when the connection under them went away. */
const LOST_CHANNEL = /^(channel closed|Channel closed|Connection closed|message nacked)/;

let installed = false;

/**
 * guardBrokerRejections keeps a service alive through a broker outage. When an AMQP connection
 * drops, every publish still waiting for its confirm (a reply, an ack) is rejected with "channel
 * closed", and the transport does not always observe those promises: Node would end the process
 * on the first one. Those are logged (the request is redelivered or its caller times out and
 * retries); any other unhandled rejection still ends the process, as it should.
 */
export function guardBrokerRejections(): void {
  if (installed) return;
  installed = true;
  const logger = new Logger('bus');
  process.on('unhandledRejection', (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (LOST_CHANNEL.test(message))
      return logger.warn(`a publish was lost with the broker connection: ${message}`);
    logger.error(
      `unhandled rejection: ${message}`,
      reason instanceof Error ? reason.stack : undefined,
    );
    process.exit(1);
  });
}
