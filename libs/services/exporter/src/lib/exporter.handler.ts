import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ArchivePlanV1, PLAN_ARCHIVE_V1, PlanArchiveV1 } from '@stevedore/contracts';
import { PlanArchiveCommand } from './use-cases/plan-archive/plan-archive.command';
import { PlanArchiveUseCase } from './use-cases/plan-archive/plan-archive.use-case';

/**
 * ExporterHandler is the exporter's bus surface: each pattern hands its validated payload to one
 * use-case. It validates payloads itself too, so a host without the global ValidationPipe still
 * cannot hand a use-case an invalid request.
 */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ExporterHandler {
  constructor(private readonly planArchive: PlanArchiveUseCase) {}

  @MessagePattern(PLAN_ARCHIVE_V1)
  plan(@Payload() request: PlanArchiveV1): Promise<ArchivePlanV1> {
    return this.planArchive.execute(PlanArchiveCommand.create(request.images));
  }
}
