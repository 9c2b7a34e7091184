import { Module } from '@nestjs/common';
import { EngineBuildModule } from './engine-build/engine-build.module';
import { EngineContainersModule } from './engine-containers/engine-containers.module';
import { EngineImagesModule } from './engine-images/engine-images.module';
import { NativeApiModule } from './native/native-api.module';
import { HealthModule } from './system/health.module';
import { SystemModule } from './system/system.module';

/**
 * GatewayHttpModule is the gateway's HTTP surface: the Docker Engine API and the native
 * `/api/v1`. It needs a Bus (MessagingModule) and the ARCHIVES port (the exporter's load, import
 * and save) from its composition root, and optionally CONTAINER_IO (the runtime's byte streams) and IMAGE_BUILDER (`docker build`).
 */
@Module({
  imports: [
    SystemModule,
    HealthModule,
    NativeApiModule,
    EngineImagesModule,
    EngineContainersModule,
    EngineBuildModule,
  ],
})
export class GatewayHttpModule {}
