import { DynamicModule, Module, Provider } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARCHIVES } from '@stevedore/exporter-http';
import {
  INTERNAL_EXPORTER_LISTEN,
  InternalExporterServer,
  InternalEndpoint,
} from './internal-http/internal-exporter.server';
import { LocalArchives } from './local-archives';
import { PushHandler } from './push.handler';
import { SPOOL_ROOT, SpoolDirectory } from './support/spool-directory';
import { IMPORT_URL_ALLOWLIST } from './use-cases/import-rootfs/import-policy';
import { ImportRootfsUseCase } from './use-cases/import-rootfs/import-rootfs.use-case';
import { LoadArchiveUseCase } from './use-cases/load-archive/load-archive.use-case';
import { PushImageUseCase } from './use-cases/push-image/push-image.use-case';
import { SaveArchiveUseCase } from './use-cases/save-archive/save-archive.use-case';

export interface ExporterServiceOptions {
  /** Serve the internal archive endpoint here, to callers with its token (cluster topology). */
  internalHttp?: InternalEndpoint;
  /** Hosts `docker import <url>` may download from (the configuration's `import-url-allowlist`). */
  importUrlAllowlist: readonly string[];
  /** Where import and load spool, one directory per process (default `<os temp dir>/stevedore-spool`). */
  spoolRoot?: string;
}

/**
 * ExporterServiceModule moves images out and archives in: `docker load`, `import` and `save` (the
 * ARCHIVES port, provided globally so the embedded gateway calls it directly; in a cluster it is
 * served on the internal endpoint) and pushes to registries over the bus. It needs the Bus
 * (MessagingModule), the BLOB_STORE port and the RegistryClient of UpstreamModule from its
 * composition root (the embedded app, or the exporter process with the blob client).
 */
@Module({})
export class ExporterServiceModule {
  static forRoot(options: ExporterServiceOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: IMPORT_URL_ALLOWLIST, useValue: [...options.importUrlAllowlist] },
      { provide: SPOOL_ROOT, useValue: options.spoolRoot ?? join(tmpdir(), 'stevedore-spool') },
      SpoolDirectory,
      LoadArchiveUseCase,
      ImportRootfsUseCase,
      SaveArchiveUseCase,
      PushImageUseCase,
      LocalArchives,
      { provide: ARCHIVES, useExisting: LocalArchives },
    ];
    if (options.internalHttp) {
      providers.push(
        { provide: INTERNAL_EXPORTER_LISTEN, useValue: options.internalHttp },
        InternalExporterServer,
      );
    }
    return {
      module: ExporterServiceModule,
      global: true,
      controllers: [PushHandler],
      providers,
      exports: [ARCHIVES],
    };
  }
}
