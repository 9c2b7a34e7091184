export { ExporterServiceModule } from './lib/exporter-service.module';
export { PlanArchiveUseCase } from './lib/use-cases/plan-archive/plan-archive.use-case';
export { PlanArchiveCommand } from './lib/use-cases/plan-archive/plan-archive.command';
export type { SaveTarget } from './lib/use-cases/plan-archive/plan-archive.command';
