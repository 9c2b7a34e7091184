import { DomainError } from '@stevedore/domain';

/** Error codes that mean "this replica is not there", where trying the next one is safe. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Failures that also mean the peer is gone or stuck, though a request may have reached it. */
const LOST = new Set([...UNREACHABLE, 'EPIPE', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT']);

const codeOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

/** isUnreachable tells a failure to reach a replica from an answer it gave. */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof DomainError) return err.details?.['unreachable'] === true;
  const code = codeOf(err);
  return typeof code === 'string' && UNREACHABLE.has(code);
}

/**
 * asPeerUnavailable turns a connection failure to another service into UNAVAILABLE `<peer>
 * unavailable, retry later`, which the Engine API answers as a 503 (or an in-stream error) the
 * user can act on, rather than an "internal error". Any other error comes back unchanged.
 */
export function asPeerUnavailable(err: unknown, peer: string): unknown {
  const code = codeOf(err);
  if (typeof code !== 'string' || !LOST.has(code)) return err;
  return new DomainError(
    'UNAVAILABLE',
    `${peer} unavailable, retry later`,
    { unreachable: UNREACHABLE.has(code) },
    { cause: err },
  );
}
