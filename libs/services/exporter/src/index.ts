export { ExporterServiceModule } from './lib/exporter-service.module';
export type { ExporterServiceOptions } from './lib/exporter-service.module';
export type { InternalEndpoint } from './lib/internal-http/internal-exporter.server';
