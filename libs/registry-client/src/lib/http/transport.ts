import { Readable } from 'node:stream';
import type { Agent, Dispatcher } from 'undici';
import { HeaderMap } from './headers';
import { safeLocation, toTransportError } from './transport-error';

/** TransportTimeouts are the three clocks of a request, in milliseconds. */
export interface TransportTimeouts {
  /** connect bounds the TCP (and TLS) handshake. */
  readonly connect: number;
  /** stall bounds any silence: waiting for headers, and the gap between two body chunks. */
  readonly stall: number;
  /** total bounds one request from start to the last body byte; undefined = no bound. */
  readonly total?: number;
}

/** TransportOptions configure the shared undici Agent. */
export interface TransportOptions {
  readonly concurrencyPerHost: number;
  readonly userAgent: string;
  readonly timeouts: TransportTimeouts;
}

/** RequestBody is what a request may carry; async iterables stream without being buffered. */
export type RequestBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** HttpRequest is one HTTP exchange as the transport sees it (no auth, no retry). */
export interface HttpRequest {
  readonly method: Dispatcher.HttpMethod;
  readonly url: URL;
  readonly headers?: Record<string, string>;
  readonly body?: RequestBody;
  /** Aborts the request, or the reading of its body, when whoever wanted it is gone. */
  readonly signal?: AbortSignal;
}

/** HttpResponse is a response whose body has not been read yet; the caller must consume or dump it. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly body: Dispatcher.ResponseData['body'];
  readonly url: URL;
}

function toBody(body: RequestBody | undefined): string | Uint8Array | Readable | undefined {
  if (
    body === undefined ||
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof Readable
  )
    return body;
  return Readable.from(body, { objectMode: false });
}

/**
 * undici is loaded with the first request rather than with this module: its ~110 modules cost an
 * idle service some 5 MB resident, and a resolver, fetcher or exporter that was only started (or
 * the embedded app before its first pull) has no registry to talk to yet.
 */
const undici = (): typeof import('undici') => require('undici') as typeof import('undici');

/**
 * Transport sends single HTTP requests through one undici Agent: at most `concurrencyPerHost`
 * connections per origin (further requests queue), connect/stall/total timeouts, a User-Agent, and
 * network failures turned into temporary UNAVAILABLE errors. Redirects are never followed here.
 */
export class Transport {
  private agentMade?: Agent;

  constructor(private readonly options: TransportOptions) {}

  /** agent is the pool every request shares, made with the first one. */
  private get agent(): Agent {
    this.agentMade ??= new (undici().Agent)({
      connections: this.options.concurrencyPerHost,
      connect: { timeout: this.options.timeouts.connect },
      headersTimeout: this.options.timeouts.stall,
      bodyTimeout: this.options.timeouts.stall,
    });
    return this.agentMade;
  }

  /** send performs one request and resolves once the response headers arrived. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const total = this.options.timeouts.total;
    const signals = [
      ...(req.signal ? [req.signal] : []),
      ...(total ? [AbortSignal.timeout(total)] : []),
    ];
    try {
      const res = await undici().request(req.url, {
        dispatcher: this.agent,
        method: req.method,
        headers: { 'user-agent': this.options.userAgent, ...req.headers },
        body: toBody(req.body),
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
      });
      return { status: res.statusCode, headers: res.headers, body: res.body, url: req.url };
    } catch (error) {
      // Called off by the caller: its reason, never a failure worth a retry.
      req.signal?.throwIfAborted();
      throw toTransportError(error, `${req.method} ${safeLocation(req.url)}`);
    }
  }

  /** close ends every pooled connection; in-flight requests finish first. */
  async close(): Promise<void> {
    await this.agentMade?.close();
  }
}
