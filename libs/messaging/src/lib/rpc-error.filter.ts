import { ArgumentsHost, Catch, HttpException, Logger, RpcExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Observable, throwError } from 'rxjs';
import { asDomainError } from '@stevedore/domain';
import { WireError, errorToWire } from './wire-error';

/**
 * DomainRpcExceptionFilter serialises what a message handler threw into `{code, message}`.
 * A full disk becomes NO_SPACE; validation failures become INVALID_ARGUMENT; anything unexpected is logged once with an
 * errorId, and only that id (never internals) travels back to the caller.
 */
@Catch()
export class DomainRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(DomainRpcExceptionFilter.name);

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
    const errorId = randomUUID();
    this.logger.error({
      msg: 'unexpected error in message handler',
      errorId,
      err: String(exception),
    });
    return { code: 'INTERNAL', message: `internal error (errorId ${errorId})` };
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
