export { RuntimeServiceModule } from './lib/runtime-service.module';
export type { RuntimeServiceOptions } from './lib/runtime-service.module';
