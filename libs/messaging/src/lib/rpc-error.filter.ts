import { ArgumentsHost, Catch, HttpException, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { asDomainError } from '@stevedore/domain';
import { internalErrorMessage, logUnexpected } from '@stevedore/observability';
import { WireError, errorToWire } from './wire-error';

/**
 * DomainRpcExceptionFilter serialises what a message handler threw into `{code, message}`.
 * A full disk becomes NO_SPACE; validation failures become INVALID_ARGUMENT; anything unexpected is logged once with an
 * errorId, and only that id (never internals) travels back to the caller.
 */
@Catch()
export class DomainRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toWire(exception));
  }

  private toWire(exception: unknown): WireError {
    // A full disk (ENOSPC, EDQUOT, SQLITE_FULL) crosses as NO_SPACE, so the client reads why.
    const known = asDomainError(exception);
    if (known) return errorToWire(known);
    if (exception instanceof HttpException && exception.getStatus() === 400) {
      return { code: 'INVALID_ARGUMENT', message: validationMessage(exception) };
    }
    const errorId = logUnexpected('message handler', exception);
    return { code: 'INTERNAL', message: internalErrorMessage(errorId) };
  }
}

function validationMessage(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const message = (body as { message: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return exception.message;
}
