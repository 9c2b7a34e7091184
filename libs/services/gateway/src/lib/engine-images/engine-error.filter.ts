import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toEngineError } from '../engine/engine-exception.filter';

/**
 * EngineErrorFilter answers a failed image request with `{"message"}` under a Content-Type of exactly
 * `application/json`: the docker CLI compares that header verbatim, and with Express's added
 * `; charset=utf-8` it prints the raw JSON instead of the message. Server faults are logged.
 */
@Catch()
export class EngineErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('gateway');

  /** catch writes the `{"message"}` answer for `exception`, or only ends a stream that already began. */
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message } = toEngineError(exception);
    if (status >= 500)
      this.logger.error(
        message,
        exception instanceof Error ? exception.stack : String(exception),
      );
    if (response.headersSent) {
      response.end();
      return;
    }
    // A Buffer body, because Express appends a charset to the Content-Type of string bodies.
    response.status(status).setHeader('Content-Type', 'application/json');
    response.end(Buffer.from(JSON.stringify({ message })));
  }
}
