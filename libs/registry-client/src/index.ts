/**
 * @stevedore/registry-client — an OCI distribution client on undici 7: auth (Bearer, Basic, docker
 * config.json, X-Registry-Auth), manifests, verified and resumable blob streams, retries, mirrors,
 * listings and push. See README.md.
 */
export { RegistryClient } from './lib/client';
export type { Shared } from './lib/client';
export type {
  RegistryClientOptions,
  ResolvedOptions,
  RegistryLogger,
  RateLimitSignal,
} from './lib/options';
export { resolveOptions, DEFAULT_MAX_MANIFEST_BYTES } from './lib/options';
export type { RepositoryLike } from './lib/context';

// Credentials
export type { RegistryCredentials, CredentialsProvider } from './lib/credentials/credentials';
export { staticCredentials, chainCredentials, hasCredentials } from './lib/credentials/credentials';
export type { DockerConfigFile, DockerAuthEntry } from './lib/credentials/docker-config';
export {
  dockerConfigCredentials,
  loadDockerConfig,
  findAuthEntry,
  entryCredentials,
} from './lib/credentials/docker-config';
export type {
  CredentialHelper,
  ProcessCredentialHelperOptions,
} from './lib/credentials/credential-helper';
export { processCredentialHelper } from './lib/credentials/credential-helper';
export type { RegistryAuthHeader } from './lib/credentials/registry-auth-header';
export {
  decodeRegistryAuthHeader,
  registryAuthCredentials,
} from './lib/credentials/registry-auth-header';
export { decodeAuthField, basicAuthorization } from './lib/credentials/basic-auth';
export { registryKey, DOCKER_HUB_KEY } from './lib/credentials/server-key';

// Auth protocol pieces (pure)
export type { Challenge } from './lib/auth/challenge';
export { parseChallenges, preferredChallenge, challengeScopes } from './lib/auth/challenge';
export type { TokenGrant } from './lib/auth/token-response';
export { parseTokenResponse } from './lib/auth/token-response';
export type { TokenRequest } from './lib/auth/token-fetch';
export { buildTokenGet, buildTokenPost } from './lib/auth/token-fetch';
export { pullScope, pushScope, CATALOG_SCOPE } from './lib/auth/scope';

// HTTP behaviour (pure)
export type { Endpoint } from './lib/http/endpoint';
export { endpointsFor, registryOrigin, isLoopbackHost } from './lib/http/endpoint';
export type { RetryPolicy } from './lib/http/retry';
export { DEFAULT_RETRY, backoffDelay } from './lib/http/retry';
export type { TransportTimeouts } from './lib/http/transport';
export type { RateLimit } from './lib/http/rate-limit';
export { parseRateLimit } from './lib/http/rate-limit';
export { parseRetryAfter } from './lib/http/retry-after';
export { isTemporary } from './lib/http/transport-error';
export type { DistributionErrorEntry } from './lib/errors/distribution-error';
export { parseErrorBody, registryError } from './lib/errors/distribution-error';
export { nextLink } from './lib/list/link-header';
export type { Referrers } from './lib/list/referrers';

// Pull
export type { ManifestHead, FetchedManifest } from './lib/pull/manifests';
export { MANIFEST_ACCEPT } from './lib/pull/manifests';
export type { PulledManifest, FetchedImageManifest } from './lib/pull/pull-manifest';
export { defaultPlatform } from './lib/pull/pull-manifest';
export type { BlobSink } from './lib/pull/blob-sink';
export { FileBlobSink } from './lib/pull/blob-sink';
export type { BlobCopyResult, BlobTransferOptions } from './lib/pull/copy-blob';
export type { ContentRange, ResumePlan } from './lib/pull/content-range';
export { parseContentRange, planResume } from './lib/pull/content-range';

// Push
export type { BlobOpener } from './lib/push/upload-session';
export type { BlobPushOptions, BlobPushOutcome } from './lib/push/push-blob';
export type { ImageSource, SourceManifest } from './lib/push/image-source';
export type { CopyImageOptions, CopyImageResult } from './lib/push/copy-image';
export { resolveLocation, withDigestParam, parseUploadRange } from './lib/push/upload-location';

// Listing
export type { ListOptions } from './lib/list/listing';
export {
  UpstreamModule,
  RateLimitSignals,
  UPSTREAM_CONCURRENCY,
  UPSTREAM_REGISTRIES,
  UPSTREAM_SETTINGS,
  DEFAULT_UPSTREAM_CONCURRENCY,
  configuredRegistries,
  registryClientOptions,
  clientForRequest,
} from './lib/nest/upstream.module';
export type { UpstreamSettings } from './lib/nest/upstream.module';
