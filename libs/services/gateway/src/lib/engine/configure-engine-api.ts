import type { NestExpressApplication } from '@nestjs/platform-express';
import { EngineExceptionFilter } from './engine-exception.filter';
import { engineHeaders, engineJsonBody, versionPrefix } from './engine-middleware';
import { EngineValidationPipe } from './engine-validation.pipe';

/**
 * configureEngineApi makes a Nest Express app speak the Docker Engine API conventions: Docker's
 * headers on every response, `/vX.Y` prefixes stripped before routing, and `{"message"}` errors.
 * Call it before `listen()`/`init()`, because middleware registered later runs after the routes.
 */
export function configureEngineApi(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(engineHeaders);
  app.use(versionPrefix);
  app.use(engineJsonBody);
  app.useGlobalFilters(new EngineExceptionFilter());
  app.useGlobalPipes(new EngineValidationPipe());
}
