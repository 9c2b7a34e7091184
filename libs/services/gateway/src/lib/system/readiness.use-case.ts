import { Injectable } from '@nestjs/common';
import { BLOBSTORE_PING_V1, METADATA_PING_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';

/** How long the readiness round trip may take before the gateway reports itself not ready. */
const READY_TIMEOUT_MS = 2_000;

/** Readiness is `/readyz`'s answer: its HTTP status and body. */
export interface Readiness {
  httpStatus: 200 | 503;
  body: { status: string; reason?: string };
}

/**
 * ReadinessUseCase tells whether the gateway can serve requests: a ping over the bus to the blob
 * store and to metadata comes back in time. A ping touches no storage, so the probe stays cheap
 * however large the store grows.
 */
@Injectable()
export class ReadinessUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(): Promise<Readiness> {
    try {
      await Promise.all(
        [BLOBSTORE_PING_V1, METADATA_PING_V1].map((pattern) =>
          this.bus.send(pattern, {}, { timeoutMs: READY_TIMEOUT_MS }),
        ),
      );
      return { httpStatus: 200, body: { status: 'ready' } };
    } catch {
      return {
        httpStatus: 503,
        body: { status: 'not ready', reason: 'the services behind the gateway do not answer' },
      };
    }
  }
}
