import { DynamicModule, Module } from '@nestjs/common';
import { ExporterHandler } from './exporter.handler';
import { PushHandler } from './push.handler';
import { PushImageUseCase } from './use-cases/push-image/push-image.use-case';
import { PlanArchiveUseCase } from './use-cases/plan-archive/plan-archive.use-case';

/**
 * ExporterServiceModule answers the exporter.* messages: planning `docker save` archives and
 * pushing images to registries (it needs the RegistryClient of UpstreamModule for that). It uses the {@link Bus} from MessagingModule and the BLOB_STORE port, both provided
 * by its composition root (the embedded app, or the exporter process with the blob client).
 */
@Module({})
export class ExporterServiceModule {
  /** ExporterServiceModule.forRoot wires the handler and its use-cases. */
  static forRoot(): DynamicModule {
    return {
      module: ExporterServiceModule,
      controllers: [ExporterHandler, PushHandler],
      providers: [PlanArchiveUseCase, PushImageUseCase],
    };
  }
}
