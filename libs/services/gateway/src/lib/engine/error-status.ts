import { HttpStatus } from '@nestjs/common';
import { assertUnreachable, ErrorCode } from '@stevedore/domain';

/**
 * httpStatusForErrorCode maps every domain error code to the status the Docker daemon uses for
 * that kind of failure; the switch is exhaustive, so a new code fails to compile until mapped.
 */
export function httpStatusForErrorCode(code: ErrorCode): HttpStatus {
  switch (code) {
    case 'NOT_FOUND':
      // The CLI acts on 404: untyped `inspect` moves on, `create` pulls, `rmi -f` ignores it.
      return HttpStatus.NOT_FOUND;
    case 'INVALID_ARGUMENT':
      return HttpStatus.BAD_REQUEST;
    case 'CONFLICT':
      return HttpStatus.CONFLICT;
    case 'UNAUTHORIZED':
      // Pull/push report auth failures in-stream instead: a 401 there makes the CLI prompt for a login.
      return HttpStatus.UNAUTHORIZED;
    case 'DENIED':
      return HttpStatus.FORBIDDEN;
    case 'UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'TOO_MANY_REQUESTS':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'DIGEST_MISMATCH':
      // Content did not match the digest it was named by: the request (an archive, a pinned
      // reference) asked for something that cannot be honoured, like Docker's invalid-parameter
      // errors. Upstream corruption during a pull is reported in-stream, never through this status.
      return HttpStatus.BAD_REQUEST;
    case 'UNSUPPORTED':
      // Valid but deliberately not implemented, which is what Docker's 501 (errdefs.NotImplemented) means.
      return HttpStatus.NOT_IMPLEMENTED;
    case 'NO_SPACE':
      // dockerd answers a full disk with 500 and the OS message (`no space left on device`); 507
      // would say the same to an HTTP client, but the CLI only prints the message, and Docker is
      // the reference clients were written against.
      return HttpStatus.INTERNAL_SERVER_ERROR;
    case 'INTERNAL':
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertUnreachable(code);
  }
}
