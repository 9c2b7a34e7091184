import type { Readable } from 'node:stream';
import type {
  ImportResultV1,
  ImportRootfsV1,
  LoadArchiveV1,
  LoadResultV1,
  SaveArchiveV1,
} from '@stevedore/contracts';

/** ARCHIVES is the injection token under which an {@link Archives} is provided. */
export const ARCHIVES = Symbol('Archives');

/**
 * Archives is the exporter's archive work as the gateway calls it: streams in (load, import) and
 * out (save). The embedded topology binds the exporter's use-cases directly, a cluster gateway an
 * HTTP client of the exporter's internal endpoint. `signal` stops the work when the client goes.
 */
export interface Archives {
  /** load reads a `docker load` archive into the store and records its images. */
  load(archive: Readable, request: LoadArchiveV1, signal?: AbortSignal): Promise<LoadResultV1>;
  /** importRootfs makes a one-layer image of a root filesystem tar (`source`, or the request's URL). */
  importRootfs(
    source: Readable,
    request: ImportRootfsV1,
    signal?: AbortSignal,
  ): Promise<ImportResultV1>;
  /**
   * save resolves once every name was found and every blob is known to be there, so its errors
   * come before the first byte; the tar then streams (cut short, never wrong, if a blob fails).
   */
  save(request: SaveArchiveV1, signal?: AbortSignal): Promise<Readable>;
}
