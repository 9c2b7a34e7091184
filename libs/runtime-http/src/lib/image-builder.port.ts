import type { Readable } from 'node:stream';

/** IMAGE_BUILDER is the injection token under which an {@link ImageBuilder} is provided. */
export const IMAGE_BUILDER = Symbol('ImageBuilder');

/**
 * BuildRequest is `POST /build`'s query as dockerd's classic builder reads it, already validated
 * by the gateway (unknown or malformed values are refused there with dockerd's words).
 */
export interface BuildRequest {
  /** Path of the Dockerfile inside the context (default `Dockerfile`). */
  dockerfile: string;
  /** `t`, repeated: references to tag the result with, normalized (`name:tag`). */
  tags: string[];
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  target?: string;
  noCache: boolean;
  pull: boolean;
  /** `q`: only the aux ID and errors, no step lines. */
  quiet: boolean;
  /** `rm` (default true): remove intermediate containers after a successful build. */
  rm: boolean;
  /** `forcerm`: remove them even after a failure. */
  forceRm: boolean;
  cacheFrom: string[];
  /** `networkmode` for RUN steps: `default`/`bridge`, `host` or `none`. */
  networkMode: string;
  /** `extrahosts`: `name:ip` entries for RUN steps' /etc/hosts. */
  extraHosts: string[];
  /** `platform`, normalized (`linux/amd64`); only the host's is accepted. */
  platform?: string;
  /** `remote`: a context URL on the allow-list, instead of a body. */
  remote?: string;
  /** Limits for RUN containers (bytes, CPU shares, ...), as on container create. */
  memory?: number;
  memorySwap?: number;
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpusetCpus?: string;
  shmSize?: number;
  /** The client's API version (shapes the JSON messages where it matters). */
  apiVersion: string;
}

/** BuildContext is the request body: the context tar as the client sent it. */
export interface BuildContext {
  /** Plain, gzip, bzip2 or xz tar, or a bare Dockerfile (dockerd accepts one as the body). */
  body: Readable;
  /** `X-Registry-Config` (base64 JSON of auth configs per registry) for FROM pulls. Secret. */
  registryConfig?: string;
}

/**
 * ImageBuilder runs a classic `docker build` on the runtime that owns the containers. The build
 * has started once the promise resolves; the returned stream is Docker's JSON messages, one per
 * line, exactly as dockerd writes them (`{"stream":"Step 1/3 : FROM busybox\n"}`, `{"aux":{"ID":
 * ...}}`, `{"errorDetail":{...},"error":...}`): the gateway copies it to the client verbatim.
 * Aborting `signal` (the client went away) cancels the build: its container is stopped and
 * removed, no image is tagged.
 */
export interface ImageBuilder {
  build(request: BuildRequest, context: BuildContext, signal: AbortSignal): Promise<Readable>;
}
