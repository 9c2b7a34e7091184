import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ReadinessUseCase } from './readiness.use-case';

/** HealthModule serves `/healthz`, `/readyz` and `/metrics`; it needs the global Bus. */
@Module({ controllers: [HealthController], providers: [ReadinessUseCase] })
export class HealthModule {}
