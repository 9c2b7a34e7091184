/** RegistryAuth names the three ways a test registry can guard its API. */
export type RegistryAuth = 'anonymous' | 'htpasswd' | 'token';

/** RegistryOptions selects the auth variant; credentials default to `tester` / `secret-pass`. */
export interface RegistryOptions {
  auth?: RegistryAuth;
  username?: string;
  password?: string;
  /** Runs the registry as a pull-through cache of this upstream (distribution's `proxy.remoteurl`). */
  proxyRemoteUrl?: string;
}

/** AccessLogEntry is one request the registry finished serving, as its JSON log reports it. */
export interface AccessLogEntry {
  method: string;
  /** URI path without the query string, e.g. `/v2/library/busybox/blobs/sha256:…`. */
  path: string;
  status: number;
  query?: string;
  /** Response bytes the registry wrote (`http.response.written`). */
  written?: number;
}

/** TokenAccess is one entry of a token's `access` claim (distribution token spec). */
export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

/** TokenRequestRecord is one request the token server answered (never holds a password). */
export interface TokenRequestRecord {
  method: 'GET' | 'POST';
  /** `password` or `refresh_token` for POST; undefined for GET. */
  grantType?: string;
  service?: string;
  account?: string;
  scopes: string[];
  clientId?: string;
  /** Whether the request carried credentials (Basic header, password or refresh token). */
  authenticated: boolean;
  status: number;
  granted: TokenAccess[];
}

/** RegistryHandle is a running `docker-registry` process and everything tests need to poke at it. */
export interface RegistryHandle {
  readonly auth: RegistryAuth;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Filesystem root of the registry's storage driver. */
  readonly storageRoot: string;
  readonly credentials?: { username: string; password: string };
  /** Token variant: the token server URL the registry names as challenge realm. */
  readonly tokenRealm?: string;
  /** Token variant: service name in the challenge and the token audience. */
  readonly service?: string;
  /** accessLog returns the requests the registry served so far (parsed from its JSON log). */
  accessLog(): Promise<AccessLogEntry[]>;
  /** blobPath returns the on-disk data file of a blob (for corruption tests). */
  blobPath(digest: string): string;
  /** tokenRequests returns the token server's request log; empty for non-token variants. */
  tokenRequests(): TokenRequestRecord[];
  /** stop kills the registry (and token server) and removes its temp dirs; idempotent. */
  stop(): Promise<void>;
}
