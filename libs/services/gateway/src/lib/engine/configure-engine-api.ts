import type { NestExpressApplication } from '@nestjs/platform-express';
import { DEFAULT_MIN_API_VERSION } from './engine-api';
import { EngineExceptionFilter } from './engine-exception.filter';
import { engineHeaders, streamedBodies, versionPrefix } from './engine-middleware';
import { EngineValidationPipe } from './engine-validation.pipe';
import { installUpgradeDispatch } from '../engine-containers/hijack/upgrade-dispatch';
import { MAX_BODY_BYTES, engineJsonBody } from './json-body';

/**
 * configureEngineApi makes a Nest Express app speak the Docker Engine API conventions: Docker's
 * headers on every response, `/vX.Y` prefixes stripped before routing, and `{"message"}` errors;
 * JSON bodies are bounded (1 MiB: 413; nesting: 400); upgrade requests (attach, exec) are served
 * by the same routes, which may take the connection over.
 * `minApiVersion` is the operator's floor (see resolveMinApiVersion).
 * Call it before `listen()`/`init()`, because middleware registered later runs after the routes.
 */
export function configureEngineApi(
  app: NestExpressApplication,
  minApiVersion: string = DEFAULT_MIN_API_VERSION,
): void {
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(engineHeaders);
  app.use(versionPrefix(minApiVersion));
  app.use(streamedBodies);
  // Ahead of Nest's default parsers (100 kB, no depth bound): they leave a parsed body alone.
  app.use(engineJsonBody);
  app.useBodyParser('urlencoded', { limit: MAX_BODY_BYTES, extended: true });
  app.useGlobalFilters(new EngineExceptionFilter());
  app.useGlobalPipes(new EngineValidationPipe());
  // Attach and exec hijack their connection: `Connection: Upgrade` requests go through the same routes.
  installUpgradeDispatch(app.getHttpServer());
}
