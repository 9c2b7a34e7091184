import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { parseUrlList } from '@stevedore/config';
import { CONTAINER_IO } from './container-io.port';
import { HttpContainerIo } from './http-container-io';

/**
 * RuntimeClientModule provides the CONTAINER_IO port as an HTTP client of the runtimes' internal
 * endpoints: what a cluster gateway imports to relay attach, exec, logs, `docker cp` and export.
 */
@Module({})
export class RuntimeClientModule implements OnModuleDestroy {
  constructor(@Inject(CONTAINER_IO) private readonly io: HttpContainerIo) {}

  /**
   * forRoot takes the runtime's URL, or one URL per host's runtime separated by commas, and the
   * token their internal endpoints require.
   */
  static forRoot(urls: string, token: string): DynamicModule {
    return {
      module: RuntimeClientModule,
      global: true,
      providers: [
        { provide: CONTAINER_IO, useValue: new HttpContainerIo(parseUrlList(urls), token) },
      ],
      exports: [CONTAINER_IO],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.io.close();
  }
}
