import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { asDomainError } from '@stevedore/domain';
import type { Response } from 'express';
import { jsonErrors } from './api-version';
import { httpStatusForErrorCode } from './error-status';
import { bodyParserError } from './json-body';

/** EngineError is what an Engine API error answers: a status and Docker's `{"message"}` body. */
export interface EngineError {
  readonly status: number;
  readonly message: string;
}

/**
 * toEngineError maps anything thrown while serving a request to a status and a message the docker
 * CLI prints: domain errors (and a full disk) by code, Nest/Express HTTP errors by their status, anything else to a
 * 500 whose message reveals nothing internal.
 */
export function toEngineError(exception: unknown): EngineError {
  const known = asDomainError(exception); // a full disk is NO_SPACE, in the OS words, like dockerd
  if (known) return { status: httpStatusForErrorCode(known.code), message: known.message };
  // Controllers throw DomainError, never NotFoundException, so this one comes from Nest's router
  // finding no route; Docker answers that with exactly this message.
  if (exception instanceof NotFoundException) return { status: 404, message: 'page not found' };
  if (exception instanceof HttpException) {
    return { status: exception.getStatus(), message: httpExceptionMessage(exception) };
  }
  const parser = bodyParserError(exception);
  if (parser) return parser;
  return { status: 500, message: 'internal server error' };
}

function httpExceptionMessage(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message: unknown = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * sendEngineError writes Docker's `{"message"}` error body with a Content-Type of exactly
 * `application/json`; below API 1.24 (`version`, else the request's recorded one) it writes the
 * message as plain text, as Go's `http.Error` does for dockerd.
 */
export function sendEngineError(
  response: Response,
  status: number,
  message: string,
  version: unknown = response.locals['apiVersion'],
): void {
  response.status(status);
  if (typeof version === 'string' && !jsonErrors(version)) {
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.end(`${message}\n`);
    return;
  }
  // A Buffer body, because Express appends a charset to the Content-Type of string bodies.
  response.setHeader('Content-Type', 'application/json');
  response.end(Buffer.from(JSON.stringify({ message })));
}

/**
 * EngineExceptionFilter answers every failed Engine API request with `{"message": …}` under a
 * Content-Type of exactly `application/json`, which the CLI prints as `Error response from daemon:
 * <message>`. The CLI compares that header verbatim: with Express's `; charset=utf-8` it would print
 * the raw JSON instead. Server faults are logged.
 */
@Catch()
export class EngineExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('gateway');

  /** catch writes the `{"message"}` answer for `exception`, unless a streamed answer already began. */
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message } = toEngineError(exception);
    if (status >= 500) {
      this.logger.error(message, exception instanceof Error ? exception.stack : String(exception));
    }
    // Once a stream has begun the status is gone; errors go in-stream, so only end the response.
    if (response.headersSent) {
      response.end();
      return;
    }
    sendEngineError(response, status, message);
  }
}
