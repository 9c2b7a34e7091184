import { installProcessGuard } from '@stevedore/observability';

/** Messages amqplib rejects publishes with when the connection under them went away. */
const LOST_CHANNEL = /^(channel closed|Channel closed|Connection closed|message nacked)/;

/**
 * guardBrokerRejections keeps a service alive through a broker outage. When an AMQP connection
 * drops, every publish still waiting for its confirm (a reply, an ack) is rejected with "channel
 * closed", and the transport does not always observe those promises. Those are warned about (the
 * request is redelivered or its caller times out and retries); anything else that escapes is
 * logged and counted by the process guard, which keeps the process serving its other requests.
 */
export function guardBrokerRejections(name = 'bus'): void {
  installProcessGuard(name, (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    return LOST_CHANNEL.test(message)
      ? `a publish was lost with the broker connection: ${message}`
      : undefined;
  });
}
