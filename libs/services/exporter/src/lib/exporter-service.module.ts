import { DynamicModule, Module } from '@nestjs/common';
import { ExporterHandler } from './exporter.handler';
import { PlanArchiveUseCase } from './use-cases/plan-archive/plan-archive.use-case';

/**
 * ExporterServiceModule answers the exporter.* messages (today: planning `docker save`
 * archives). It uses the {@link Bus} from MessagingModule and the BLOB_STORE port, both provided
 * by its composition root (the embedded app, or the exporter process with the blob client).
 */
@Module({})
export class ExporterServiceModule {
  /** ExporterServiceModule.forRoot wires the handler and its use-cases. */
  static forRoot(): DynamicModule {
    return { module: ExporterServiceModule, controllers: [ExporterHandler], providers: [PlanArchiveUseCase] };
  }
}
