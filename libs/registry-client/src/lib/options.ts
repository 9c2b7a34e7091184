import { CredentialsProvider } from './credentials/credentials';
import { DEFAULT_RETRY, RetryPolicy } from './http/retry';
import { TransportTimeouts } from './http/transport';

/** RegistryLogger receives the client's diagnostics; messages never contain credentials or query strings. */
export interface RegistryLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * RegistryClientOptions configure a {@link RegistryClient}. Every field is optional:
 * - `credentials`: where to find credentials per registry host (default: anonymous everywhere);
 * - `retry`: tries and backoff for idempotent requests (default 5 tries, 1 s doubling to 60 s);
 * - `concurrencyPerHost`: connections per origin; further requests queue (default 6);
 * - `mirrors`: ordered pull endpoints per registry name, e.g. `{ 'docker.io': ['http://127.0.0.1:5000'] }`;
 * - `insecure`: registry `host[:port]`s reached over plain HTTP (loopback hosts always are);
 * - `userAgent`: the `User-Agent` header;
 * - `timeouts`: `connect` (handshake), `stall` (no bytes for that long), `total` (whole request) in ms;
 * - `maxManifestBytes`: manifests larger than this are refused (default 4 MiB);
 * - `chunkSize`: blobs larger than this are pushed in PATCH chunks of this size (default: monolithic);
 * - `clientId`: OAuth2 client id for refresh-token requests (default `stevedore`);
 * - `logger`: retry and warning diagnostics;
 * - `onRateLimit`: told when a registry host says to slow down (a 429, or `RateLimit-Remaining: 0`),
 *   so callers can share the back-off with other processes.
 */
export interface RegistryClientOptions {
  readonly credentials?: CredentialsProvider;
  readonly retry?: Partial<RetryPolicy>;
  readonly concurrencyPerHost?: number;
  readonly mirrors?: Readonly<Record<string, readonly string[]>>;
  readonly insecure?: readonly string[];
  readonly userAgent?: string;
  readonly timeouts?: Partial<TransportTimeouts>;
  readonly maxManifestBytes?: number;
  readonly chunkSize?: number;
  readonly clientId?: string;
  readonly logger?: RegistryLogger;
  readonly onRateLimit?: (signal: RateLimitSignal) => void;
}

/** RateLimitSignal is a registry host asking for a pause of `retryAfterMs`. */
export interface RateLimitSignal {
  /** The endpoint's `host[:port]`. */
  readonly host: string;
  readonly retryAfterMs: number;
}

/** ResolvedOptions are {@link RegistryClientOptions} with every default applied. */
export interface ResolvedOptions {
  readonly credentials?: CredentialsProvider;
  readonly retry: RetryPolicy;
  readonly concurrencyPerHost: number;
  readonly mirrors: Readonly<Record<string, readonly string[]>>;
  readonly insecure: readonly string[];
  readonly userAgent: string;
  readonly timeouts: TransportTimeouts;
  readonly maxManifestBytes: number;
  readonly chunkSize?: number;
  readonly clientId: string;
  readonly logger?: RegistryLogger;
  readonly onRateLimit?: (signal: RateLimitSignal) => void;
}

/** DEFAULT_MAX_MANIFEST_BYTES is the manifest size cap: the 4 MiB every registry must accept. */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** resolveOptions applies the defaults documented on {@link RegistryClientOptions}. */
export function resolveOptions(options: RegistryClientOptions = {}): ResolvedOptions {
  return {
    ...(options.credentials ? { credentials: options.credentials } : {}),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    concurrencyPerHost: options.concurrencyPerHost ?? 6,
    mirrors: options.mirrors ?? {},
    insecure: options.insecure ?? [],
    userAgent: options.userAgent ?? 'stevedore-registry-client/1',
    timeouts: { connect: 15_000, stall: 60_000, ...options.timeouts },
    maxManifestBytes: options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    clientId: options.clientId ?? 'stevedore',
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onRateLimit ? { onRateLimit: options.onRateLimit } : {}),
  };
}
