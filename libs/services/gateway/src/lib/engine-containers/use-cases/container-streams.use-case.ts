import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError } from '@stevedore/domain';
import {
  AttachOptions,
  CONTAINER_IO,
  ContainerIo,
  ExecStartOptions,
  LogsOptions,
  PathStat,
  PutArchiveOptions,
  Session,
} from '@stevedore/runtime-http';
import type { Readable } from 'node:stream';
import { execRef } from './exec.use-cases';

/**
 * ContainerStreamsUseCase is every container call that moves bytes — attach, exec start, logs,
 * `docker cp`, export — through the ContainerIo port its composition root provides (the runtime
 * itself when embedded, an HTTP client of the owning runtime in a cluster). A gateway built
 * without one answers 503 rather than failing to start: image commands need no runtime.
 */
@Injectable()
export class ContainerStreamsUseCase {
  constructor(@Optional() @Inject(CONTAINER_IO) private readonly port?: ContainerIo) {}

  private get io(): ContainerIo {
    if (!this.port)
      throw new DomainError('UNAVAILABLE', 'this gateway reaches no container runtime');
    return this.port;
  }

  attach(id: string, options: AttachOptions): Promise<Session> {
    return this.io.attach(id, options);
  }

  execStart(execId: string, options: ExecStartOptions): Promise<Session> {
    return this.io.execStart(execRef(execId).execId, options);
  }

  logs(id: string, options: LogsOptions, signal: AbortSignal) {
    if (!options.stdout && !options.stderr)
      throw DomainError.invalidArgument('Bad parameters: you must choose at least one stream');
    return this.io.logs(id, options, signal);
  }

  statPath(id: string, path: string): Promise<PathStat> {
    return this.io.statPath(id, archivePath(path));
  }

  getArchive(id: string, path: string, signal: AbortSignal) {
    return this.io.getArchive(id, archivePath(path), signal);
  }

  putArchive(id: string, options: PutArchiveOptions, tar: Readable, signal: AbortSignal) {
    return this.io.putArchive(id, { ...options, path: archivePath(options.path) }, tar, signal);
  }

  export(id: string, signal: AbortSignal): Promise<Readable> {
    return this.io.export(id, signal);
  }
}

/** archivePath refuses an empty `path` in dockerd's words (ArchiveFormValues, its missing space included). */
function archivePath(path: string | undefined): string {
  if (path === undefined || path === '')
    throw DomainError.invalidArgument('bad parameter: pathcannot be empty');
  return path;
}
