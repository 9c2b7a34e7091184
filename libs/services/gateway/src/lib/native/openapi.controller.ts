import { Controller, Get } from '@nestjs/common';
import { OPENAPI_DOCUMENT } from './openapi.document';

/** Serves the native API's OpenAPI document. */
@Controller('api/v1')
export class OpenApiController {
  @Get('openapi.json')
  document(): object {
    return OPENAPI_DOCUMENT;
  }
}
