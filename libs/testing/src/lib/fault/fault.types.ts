/** FaultRule says how the HTTP fault proxy mistreats requests whose URL matches `pathPattern`. */
export interface FaultRule {
  /** Destroy the client connection after exactly this many response-body bytes. */
  resetAfterBytes?: number;
  /** Hold the response back this long before forwarding the request. */
  delayMs?: number;
  /** Stop sending after this many response-body bytes, keeping the connection open. */
  stallAfterBytes?: number;
  /** Tested against the request URL (path and query); default: every request. */
  pathPattern?: RegExp;
  /**
   * Answer `status` (with `headers`, e.g. Retry-After) `times` times, then pass requests through.
   * The body is a registry error naming FAULT_INJECTED unless `body` gives one (e.g. Docker Hub's
   * TOOMANYREQUESTS).
   */
  failStatus?: { status: number; times: number; headers?: Record<string, string>; body?: string };
  /** Relay response bodies at no more than this many bytes per second (a slow registry). */
  bytesPerSecond?: number;
}

/** RequestRecord is one request the HTTP fault proxy received. */
export interface RequestRecord {
  method: string;
  /** URL path without the query. */
  path: string;
  /** Path plus query, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Status the client got; 0 while no response started. */
  status: number;
  /** Response-body bytes that reached the client so far. */
  bytesSent: number;
  /** True when the proxy injected a fault into this request. */
  faulted: boolean;
}

/** HttpFaultProxy is an HTTP reverse proxy in front of one target that logs and injects faults. */
export interface HttpFaultProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** setRule replaces the current rule (undefined: pass everything through). */
  setRule(rule: FaultRule | undefined): void;
  /** requests returns the requests received so far, oldest first. */
  requests(): RequestRecord[];
  /** reset clears the rule and the request log and releases stalled connections. */
  reset(): void;
  /** stop closes the proxy and every connection; idempotent. */
  stop(): Promise<void>;
}

/** TcpFaultRule applies per connection to bytes flowing from the target to the client. */
export interface TcpFaultRule {
  /** Close the connection after this many bytes since the rule was set (the bytes arrive first). */
  resetAfterBytes?: number;
  /** Wait this long before connecting new client connections to the target. */
  delayMs?: number;
  /** Stop forwarding after this many bytes since the rule was set; the connection stays open. */
  stallAfterBytes?: number;
}

/** TcpFaultProxy is a raw TCP proxy (AMQP, byte-exact cuts) that can cut or freeze connections. */
export interface TcpFaultProxy {
  readonly host: string;
  readonly port: number;
  /** cutAll aborts every open connection with a TCP reset. */
  cutAll(): void;
  /** pause stops forwarding in both directions on every connection, new ones included. */
  pause(): void;
  /** resume undoes {@link TcpFaultProxy.pause}. */
  resume(): void;
  setRule(rule: TcpFaultRule | undefined): void;
  /** bytesFromTarget is the total forwarded from the target to clients. */
  bytesFromTarget(): number;
  /** connections is the number of client connections currently open. */
  connections(): number;
  stop(): Promise<void>;
}
