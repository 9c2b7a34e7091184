import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher, Pool } from 'undici';
import { asPeerUnavailable } from './peer-unavailable';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

// Digests have one length whatever was presented, so the comparison takes the same time for a
// short, a long and an almost-right token: nothing about the secret leaks through timing.
const digestOf = (text: string) => createHash('sha256').update(text).digest();

/** isInternalToken tells, in constant time, whether an Authorization header presents `token`. */
export function isInternalToken(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const same = timingSafeEqual(digestOf(presented), digestOf(token));
  return same && presented.length > 0;
}

/**
 * requireInternalToken lets through only the requests that present the services' shared secret
 * (`Authorization: Bearer <STEVEDORE_INTERNAL_TOKEN>`); any other gets 401 before its body is
 * read, so it can neither write, delete nor read anything.
 */
export function requireInternalToken(handler: Handler, token: string): Handler {
  if (token.length === 0) throw new Error('an internal endpoint needs a token');
  return (req, res) => {
    if (isInternalToken(req.headers.authorization, token)) return handler(req, res);
    const body = JSON.stringify({ code: 'UNAUTHORIZED', message: 'internal endpoint: bad token' });
    res.writeHead(401, { 'content-type': 'application/json', connection: 'close' }).end(body);
  };
}

type Headers = Dispatcher.DispatchOptions['headers'];

/** withBearer adds the Authorization header to a request's headers, in any of undici's shapes. */
function withBearer(headers: Headers, token: string): Headers {
  const value = `Bearer ${token}`;
  if (Array.isArray(headers)) return [...(headers as string[]), 'authorization', value];
  if (headers && Symbol.iterator in headers)
    return [
      ...(headers as Iterable<[string, string | string[] | undefined]>),
      ['authorization', value],
    ];
  return { ...(headers ?? {}), authorization: value };
}

type Callback<T> = (err: Error | null, data: Dispatcher.ResponseData<T>) => void;

/** InternalPool is an undici Pool to another service's internal endpoint (see {@link InternalPool}). */
export type InternalPool = Pool;

type InternalPoolClass = new (
  url: string,
  token: string,
  options?: Pool.Options,
  peer?: string,
) => Pool;

let poolClass: InternalPoolClass | undefined;

/**
 * definePoolClass loads undici on the first pool made rather than with this module: a service that
 * only serves an internal endpoint (the blob store) never loads it, and one that calls a peer only
 * for some requests (the gateway) pays its ~9 MB only once such a request comes.
 */
function definePoolClass(): InternalPoolClass {
  const { Pool: UndiciPool } = require('undici') as typeof import('undici');
  return class extends UndiciPool {
    constructor(
      url: string,
      private readonly token: string,
      options: Pool.Options = {},
      private readonly peer = 'internal endpoint',
    ) {
      super(url, options);
    }

    override request<T = null>(
      options: Dispatcher.RequestOptions<T>,
    ): Promise<Dispatcher.ResponseData<T>>;
    override request<T = null>(options: Dispatcher.RequestOptions<T>, callback: Callback<T>): void;
    override request<T = null>(
      options: Dispatcher.RequestOptions<T>,
      callback?: Callback<T>,
    ): Promise<Dispatcher.ResponseData<T>> | void {
      if (callback) return super.request(options, callback);
      return super.request(options).catch((err: unknown) => {
        throw asPeerUnavailable(err, this.peer);
      });
    }

    override dispatch(
      options: Dispatcher.DispatchOptions,
      handler: Dispatcher.DispatchHandler,
    ): boolean {
      return super.dispatch(
        { ...options, headers: withBearer(options.headers, this.token) },
        handler,
      );
    }
  };
}

/**
 * InternalPool is an undici Pool to another service's internal endpoint that presents the shared
 * secret on every request it sends. A request that cannot reach `peer` (refused, dropped, timed
 * out) rejects with UNAVAILABLE `<peer> unavailable, retry later`. The pool (and undici) comes to
 * be at its first use, not when it is made: the gateway makes pools to the exporters and runtimes
 * at start, and many processes never use them.
 */
export const InternalPool = function InternalPool(
  url: string,
  token: string,
  options: Pool.Options = {},
  peer?: string,
): Pool {
  let pool: Pool | undefined;
  const real = (): Pool => {
    poolClass ??= definePoolClass();
    return (pool ??= new poolClass(url, token, options, peer));
  };
  return new Proxy({} as Pool, {
    get(_, property) {
      // Closing a pool never used has nothing to close: no reason to load undici for it.
      if (pool === undefined && (property === 'close' || property === 'destroy'))
        return () => Promise.resolve();
      const value: unknown = Reflect.get(real(), property);
      return typeof value === 'function' ? value.bind(real()) : value;
    },
  });
} as unknown as InternalPoolClass;
