import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { parseUrlList } from '@stevedore/config';
import { CONTAINER_IO } from './container-io.port';
import { HttpContainerIo } from './http-container-io';
import { HttpImageBuilder } from './http-image-builder';
import { IMAGE_BUILDER } from './image-builder.port';

/**
 * RuntimeClientModule provides the CONTAINER_IO and IMAGE_BUILDER ports as HTTP clients of the
 * runtimes' internal endpoints: what a cluster gateway imports to relay attach, exec, logs,
 * `docker cp`, export and `docker build`.
 */
@Module({})
export class RuntimeClientModule implements OnModuleDestroy {
  constructor(
    @Inject(CONTAINER_IO) private readonly io: HttpContainerIo,
    @Inject(IMAGE_BUILDER) private readonly builder: HttpImageBuilder,
  ) {}

  /**
   * forRoot takes the runtime's URL, or one URL per host's runtime separated by commas, and the
   * token their internal endpoints require.
   */
  static forRoot(urls: string, token: string): DynamicModule {
    const list = parseUrlList(urls);
    return {
      module: RuntimeClientModule,
      global: true,
      providers: [
        { provide: CONTAINER_IO, useValue: new HttpContainerIo(list, token) },
        { provide: IMAGE_BUILDER, useValue: new HttpImageBuilder(list[0] as string, token) },
      ],
      exports: [CONTAINER_IO, IMAGE_BUILDER],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.io.close(), this.builder.close()]);
  }
}
