import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { METRICS } from '@stevedore/observability';
import { ReadinessUseCase } from './readiness.use-case';

/**
 * HealthController serves the gateway's probes next to the Engine API: `/healthz` (the process
 * answers), `/readyz` (the services behind it answer a ping, see {@link ReadinessUseCase}) and
 * Prometheus `/metrics`.
 */
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessUseCase) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const ready = await this.readiness.execute();
    res.status(ready.httpStatus).json(ready.body);
  }

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.status(200).setHeader('Content-Type', METRICS.contentType);
    res.end(await METRICS.metrics());
  }
}
