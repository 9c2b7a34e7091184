export { ARCHIVES } from './lib/archives.port';
export type { Archives } from './lib/archives.port';
export * from './lib/protocol';
export { HttpArchives } from './lib/http-archives';
export { ExporterClientModule } from './lib/exporter-client.module';
