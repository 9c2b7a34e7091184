export * from './lib/container-io.port';
export * from './lib/protocol';
export { HttpContainerIo } from './lib/http-container-io';
export { HttpImageBuilder } from './lib/http-image-builder';
export { RuntimeClientModule } from './lib/runtime-client.module';
export * from './lib/image-builder.port';
