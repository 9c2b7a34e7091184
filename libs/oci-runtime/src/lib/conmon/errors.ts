import { DomainError, type ErrorCode } from '@stevedore/domain';

/** What the runtime was doing when it failed, in the words Docker puts in its messages. */
export type RuntimeOp =
  'create' | 'start' | 'exec' | 'kill' | 'delete' | 'state' | 'ps' | 'pause' | 'resume';

/**
 * ociRuntimeError turns runc's message into a DomainError the service can map like dockerd:
 * `details.dockerMessage` is Docker's text ("OCI runtime create failed: …: unknown") and
 * `details.exitCode` the exit status Docker reports — 127 for a command not found at create
 * and 126 when it cannot be executed; for exec dockerd 20.10 reports 126 in both cases.
 */
export function ociRuntimeError(op: RuntimeOp, runtimeMessage: string): DomainError {
  const notFound = /executable file not found|no such file or directory/.test(runtimeMessage);
  const denied = /permission denied|is a directory/.test(runtimeMessage);
  const startFailure = notFound || denied;
  const code: ErrorCode = startFailure
    ? 'INVALID_ARGUMENT'
    : /does not exist/.test(runtimeMessage)
      ? 'NOT_FOUND'
      : 'INTERNAL';
  const exitCode = op === 'exec' ? 126 : notFound ? 127 : denied ? 126 : 125;
  const dockerMessage = `OCI runtime ${op} failed: ${runtimeMessage}: unknown`;
  return new DomainError(code, dockerMessage, { runtimeMessage, dockerMessage, exitCode, op });
}
