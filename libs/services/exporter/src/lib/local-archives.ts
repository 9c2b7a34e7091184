import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type {
  ImportResultV1,
  ImportRootfsV1,
  LoadArchiveV1,
  LoadResultV1,
  SaveArchiveV1,
} from '@stevedore/contracts';
import type { Archives } from '@stevedore/exporter-http';
import { ImportRootfsUseCase } from './use-cases/import-rootfs/import-rootfs.use-case';
import { LoadArchiveUseCase } from './use-cases/load-archive/load-archive.use-case';
import { SaveArchiveCommand } from './use-cases/save-archive/save-archive.command';
import { SaveArchiveUseCase } from './use-cases/save-archive/save-archive.use-case';

/**
 * LocalArchives is the {@link Archives} port as direct calls of the exporter's use-cases: what the
 * embedded topology binds to ARCHIVES, and what the exporter's internal endpoint serves in a
 * cluster. Each method hands its request to one use-case.
 */
@Injectable()
export class LocalArchives implements Archives {
  constructor(
    private readonly loadArchive: LoadArchiveUseCase,
    private readonly importRootfsUseCase: ImportRootfsUseCase,
    private readonly saveArchive: SaveArchiveUseCase,
  ) {}

  load(archive: Readable, request: LoadArchiveV1, signal?: AbortSignal): Promise<LoadResultV1> {
    return this.loadArchive.execute(archive, request, signal);
  }

  importRootfs(
    source: Readable,
    request: ImportRootfsV1,
    signal?: AbortSignal,
  ): Promise<ImportResultV1> {
    return this.importRootfsUseCase.execute(source, request, signal);
  }

  async save(request: SaveArchiveV1, signal?: AbortSignal): Promise<Readable> {
    return this.saveArchive.execute(
      SaveArchiveCommand.create(request.names, request.platform),
      signal,
    );
  }
}
