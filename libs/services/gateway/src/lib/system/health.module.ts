import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** HealthModule serves `/healthz`, `/readyz` and `/metrics`; it needs the global Bus. */
@Module({ controllers: [HealthController] })
export class HealthModule {}
