import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { parseUrlList } from '@stevedore/config';
import { ARCHIVES } from './archives.port';
import { HttpArchives } from './http-archives';

/**
 * ExporterClientModule provides the ARCHIVES port as an HTTP client of the exporter's internal
 * endpoint: what a cluster gateway imports to hand load, import and save to the exporter.
 */
@Module({})
export class ExporterClientModule implements OnModuleDestroy {
  constructor(@Inject(ARCHIVES) private readonly archives: HttpArchives) {}

  /**
   * forRoot takes the exporter's URL, or several replicas' URLs separated by commas, and the
   * token their internal endpoints require.
   */
  static forRoot(urls: string, token: string): DynamicModule {
    return {
      module: ExporterClientModule,
      global: true,
      providers: [{ provide: ARCHIVES, useValue: new HttpArchives(parseUrlList(urls), token) }],
      exports: [ARCHIVES],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.archives.close();
  }
}
