import { STATUS_CODES } from 'node:http';
import { Descriptor, Digest, DomainError, Platform, isDomainError } from '@stevedore/domain';
import { AuthState, Authenticator } from './auth/authenticator';
import { ClientContext, RepositoryLike, endpoints, toReference } from './context';
import { Endpoint, endpointsFor } from './http/endpoint';
import { CredentialsProvider } from './credentials/credentials';
import { RegistryHttp } from './http/registry-http';
import { Transport } from './http/transport';
import { ListOptions, listCatalog, listTags } from './list/listing';
import { Referrers, listReferrers } from './list/referrers';
import { RegistryClientOptions, ResolvedOptions, resolveOptions } from './options';
import { BlobSink } from './pull/blob-sink';
import {
  BlobCopyResult,
  BlobTransferOptions,
  copyBlob,
  openBlob,
  readBlob,
} from './pull/copy-blob';
import { FetchedManifest, ManifestHead, fetchManifest, resolveManifest } from './pull/manifests';
import { PulledManifest, pullManifest } from './pull/pull-manifest';
import { CopyImageOptions, CopyImageResult, copyImage } from './push/copy-image';
import { ImageSource } from './push/image-source';
import { BlobPushOptions, BlobPushOutcome, blobExistsAt, pushBlob } from './push/push-blob';
import { pushManifest } from './push/push-manifest';
import { registryImageSource } from './push/registry-source';
import { BlobOpener } from './push/upload-session';

// checkLogin judges the answer to `GET /v2/` itself (after the one 401 retry with credentials).
const ANY_STATUS: readonly number[] = Array.from({ length: 500 }, (_, i) => i + 100);

/** loginFailure is dockerd's error for a registry that refused a login's `GET /v2/` (moby's registry.loginV2). */
export function loginFailure(origin: string, status: number): DomainError {
  const code = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'DENIED' : 'UNAVAILABLE';
  const text = STATUS_CODES[status] ?? '';
  return new DomainError(
    code,
    `login attempt to ${origin}/v2/ failed with status: ${status} ${text}`.trimEnd(),
    { status, refused: 'registry' },
  );
}

/**
 * tokenLoginFailure words a token server's refusal during a login as dockerd does (a Go `url.Error`
 * around distribution's errcode: `Get "<origin>/v2/": unauthorized: <message>`); other errors pass.
 */
export function tokenLoginFailure(origin: string, err: unknown): unknown {
  if (!isDomainError(err) || (err.code !== 'UNAUTHORIZED' && err.code !== 'DENIED')) return err;
  const kind = err.code.toLowerCase();
  const message = err.message.startsWith(`${kind}: `) ? err.message : `${kind}: ${err.message}`;
  return new DomainError(err.code, `Get "${origin}/v2/": ${message}`, { refused: 'token' });
}

/** Shared is the part of a client that {@link RegistryClient.withCredentials} clients reuse. */
export interface Shared {
  readonly transport: Transport;
  readonly auth: AuthState;
}

/**
 * RegistryClient speaks the OCI distribution API (and Docker's extensions) over undici: it
 * authenticates (Bearer tokens, Basic), resolves and fetches manifests, streams blobs with
 * verification and Range resume, retries idempotent requests, falls back across mirrors for pulls,
 * lists tags and catalogs, and pushes blobs, manifests and whole images. One instance holds one
 * connection pool (per-host limited) and one token cache; call {@link RegistryClient.close} when done.
 */
export class RegistryClient {
  private readonly ctx: ClientContext;

  private readonly options: RegistryClientOptions;
  private readonly shared: Shared;

  /**
   * Creates a client; see {@link RegistryClientOptions} for the defaults. `shared` is internal: it
   * lets {@link RegistryClient.withCredentials} reuse this client's connections and caches.
   */
  constructor(options: RegistryClientOptions = {}, shared?: Shared) {
    const resolved: ResolvedOptions = resolveOptions(options);
    this.options = options;
    this.shared = shared ?? { transport: new Transport(resolved), auth: new AuthState() };
    const authenticator = new Authenticator(
      this.shared.transport,
      this.shared.auth,
      resolved.credentials,
      resolved.clientId,
    );
    this.ctx = {
      options: resolved,
      http: new RegistryHttp(this.shared.transport, authenticator, resolved.onRateLimit),
    };
  }

  /**
   * withCredentials returns a client that uses `credentials` (e.g. from one request's
   * `X-Registry-Auth`) and shares this client's connections and token cache; closing it is not needed.
   */
  withCredentials(credentials: CredentialsProvider): RegistryClient {
    return new RegistryClient({ ...this.options, credentials }, this.shared);
  }

  /** resolve returns the digest, size and media type `ref` points at, by HEAD where possible. */
  resolve(ref: RepositoryLike): Promise<ManifestHead> {
    return resolveManifest(this.ctx, toReference(ref));
  }

  /** getManifest fetches and verifies the manifest or index `ref` names, without platform selection. */
  getManifest(ref: RepositoryLike): Promise<FetchedManifest> {
    return fetchManifest(this.ctx, toReference(ref));
  }

  /**
   * pullManifest resolves `ref` down to the image manifest for `platform` (default: the host's Linux
   * platform), starting from `top` when the caller has fetched what `ref` points at already.
   */
  pullManifest(
    ref: RepositoryLike,
    platform?: Platform,
    top?: FetchedManifest,
  ): Promise<PulledManifest> {
    return pullManifest(this.ctx, toReference(ref), platform, top);
  }

  /** copyBlob streams blob `descriptor` of `repo` into `sink`, verified, resuming with Range; see {@link BlobSink}. */
  copyBlob(
    repo: RepositoryLike,
    descriptor: Descriptor,
    sink: BlobSink,
    options?: BlobTransferOptions,
  ): Promise<BlobCopyResult> {
    return copyBlob(this.ctx, toReference(repo), descriptor, sink, options);
  }

  /** openBlob streams blob `descriptor` as verified chunks; the iteration throws DIGEST_MISMATCH at the end on bad content. */
  openBlob(
    repo: RepositoryLike,
    descriptor: Descriptor,
    options?: BlobTransferOptions,
  ): AsyncIterable<Uint8Array> {
    return openBlob(this.ctx, toReference(repo), descriptor, options);
  }

  /** readBlob reads a small blob (an image config) into memory, verified; refuses blobs over `maxBytes` (default 4 MiB). */
  readBlob(
    repo: RepositoryLike,
    descriptor: Descriptor,
    maxBytes = this.ctx.options.maxManifestBytes,
  ): Promise<Buffer> {
    return readBlob(this.ctx, toReference(repo), descriptor, maxBytes);
  }

  /** blobExists tells whether `repo` holds blob `descriptor` with its size (HEAD on the registry itself). */
  async blobExists(repo: RepositoryLike, descriptor: Descriptor): Promise<boolean> {
    const ref = toReference(repo);
    return blobExistsAt(this.ctx, endpoints(this.ctx, ref, 'push')[0] as Endpoint, ref, descriptor);
  }

  /** pushBlob makes `descriptor` present in `repo`: skipped when there, mounted when possible, else uploaded from `open()`. */
  pushBlob(
    repo: RepositoryLike,
    descriptor: Descriptor,
    open: BlobOpener,
    options?: BlobPushOptions,
  ): Promise<BlobPushOutcome> {
    return pushBlob(this.ctx, toReference(repo), descriptor, open, options);
  }

  /** pushManifest PUTs exact manifest bytes under `ref`'s tag or digest and returns their digest. */
  pushManifest(ref: RepositoryLike, bytes: Uint8Array, mediaType?: string): Promise<Digest> {
    return pushManifest(this.ctx, toReference(ref), bytes, mediaType);
  }

  /**
   * copyImage pushes a whole image graph to `dst`: from any {@link ImageSource}, or from another
   * registry reference (read through this client). Children go first, the top-level document last.
   */
  async copyImage(
    src: ImageSource | RepositoryLike,
    dst: RepositoryLike,
    options?: CopyImageOptions,
  ): Promise<CopyImageResult> {
    const source =
      typeof src === 'string' || !('root' in src)
        ? await registryImageSource(this.ctx, toReference(src))
        : src;
    return copyImage(this.ctx, source, toReference(dst), options);
  }

  /**
   * checkLogin proves the client's credentials for `registry` (`host[:port]` or `docker.io`): an
   * authenticated `GET /v2/` (through a token fetch when the registry asks for bearer tokens).
   * A refusal of `/v2/` itself is UNAUTHORIZED (DENIED for a 403) in dockerd's words,
   * `login attempt to <origin>/v2/ failed with status: 401 Unauthorized`; a token server's refusal
   * is `Get "<origin>/v2/": unauthorized: <its message>`, as Go's HTTP client words it in dockerd.
   */
  async checkLogin(registry: string): Promise<void> {
    const endpoint = endpointsFor(registry, this.ctx.options, 'push')[0] as Endpoint;
    const res = await this.ctx.http
      .send({ endpoint, method: 'GET', target: '/v2/', scopes: [], ok: ANY_STATUS })
      .catch((err: unknown) => {
        throw tokenLoginFailure(endpoint.origin, err);
      });
    await res.body.dump();
    if (res.status !== 200) throw loginFailure(endpoint.origin, res.status);
  }

  /** tags yields every tag of `repo`, following pagination. */
  tags(repo: RepositoryLike, options?: ListOptions): AsyncIterable<string> {
    return listTags(this.ctx, toReference(repo), options);
  }

  /** referrers lists the manifests whose subject is `ref`'s digest (the referrers API, else its tag schema). */
  referrers(ref: RepositoryLike, artifactType?: string): Promise<Referrers> {
    return listReferrers(this.ctx, toReference(ref), artifactType);
  }

  /** catalog yields every repository of `registry` (`host[:port]` or `docker.io`), following pagination. */
  catalog(registry: string, options?: ListOptions): AsyncIterable<string> {
    return listCatalog(this.ctx, registry, options);
  }

  /** close releases every pooled connection of this client and of the clients made by {@link withCredentials}. */
  close(): Promise<void> {
    return this.shared.transport.close();
  }
}
