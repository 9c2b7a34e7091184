export { RuntimeServiceModule } from './lib/runtime-service.module';
export type { RuntimeServiceOptions } from './lib/runtime-service.module';
export { ContainerStore } from './lib/store/container-store';
