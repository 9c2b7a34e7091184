import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegistryRoute } from './registry-route';

/** RegistryContext is one `/v2/` request as its handler sees it. */
export interface RegistryContext<R extends RegistryRoute = RegistryRoute> {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly route: R;
  /** The names this registry goes by (`localhost:5000`, the Host the client used): see registry-names.ts. */
  readonly selfHosts: ReadonlySet<string>;
  /** The host the client addressed (its Host header), under which its pushes are recorded. */
  readonly host: string;
}

/** RegistryHandler answers one kind of request. */
export type RegistryHandler = (ctx: RegistryContext) => Promise<void>;

/** sendJson answers a JSON document. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    })
    .end(text);
}

/** acceptedTypes is the media types of a request's Accept headers, without parameters. */
export function acceptedTypes(req: IncomingMessage): string[] {
  const raw = req.headersDistinct['accept'] ?? [];
  return raw
    .flatMap((h) => h.split(','))
    .map((t) => (t.split(';')[0] ?? '').trim())
    .filter((t) => t !== '');
}
