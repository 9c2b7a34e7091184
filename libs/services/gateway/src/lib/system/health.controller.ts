import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { STORE_USAGE_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { METRICS } from '@stevedore/observability';

/** How long the readiness round trip may take before the gateway reports itself not ready. */
const READY_TIMEOUT_MS = 2_000;

/**
 * HealthController serves the gateway's probes next to the Engine API: `/healthz` (the process
 * answers), `/readyz` (a round trip over the bus to the blob store works, so requests can be
 * served) and Prometheus `/metrics`.
 */
@Controller()
export class HealthController {
  constructor(private readonly bus: Bus) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    try {
      await this.bus.send(STORE_USAGE_V1, {}, { timeoutMs: READY_TIMEOUT_MS });
      res.status(200).json({ status: 'ready' });
    } catch {
      res
        .status(503)
        .json({ status: 'not ready', reason: 'the services behind the gateway do not answer' });
    }
  }

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.status(200).setHeader('Content-Type', METRICS.contentType);
    res.end(await METRICS.metrics());
  }
}
