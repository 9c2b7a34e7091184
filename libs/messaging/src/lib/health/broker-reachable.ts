import { Socket } from 'node:net';
import type { Readiness } from '@stevedore/observability';

/** brokerReachable is a readiness check: the broker accepts a TCP connection within a second. */
export function brokerReachable(amqpUrl: string): Readiness {
  const url = new URL(amqpUrl);
  const port = Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672));
  return () =>
    new Promise((resolve) => {
      const socket = new Socket();
      const done = (reason: string | undefined) => {
        socket.destroy();
        resolve(reason);
      };
      socket.setTimeout(1000, () => done(`the broker at ${url.hostname}:${port} does not answer`));
      socket.once('error', () => done(`the broker at ${url.hostname}:${port} refuses connections`));
      socket.connect(port, url.hostname, () => done(undefined));
    });
}
