import { applyDecorators, Controller, Get, Head, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PING_HEADERS } from '../engine/engine-api';
import { SystemService } from './system.service';
import { SystemVersion } from './system-version';

function PingHeaders(): MethodDecorator {
  return applyDecorators(
    Header('Content-Type', 'text/plain; charset=utf-8'),
    ...Object.entries(PING_HEADERS).map(([name, value]) => Header(name, value)),
  );
}

/** SystemController serves `/_ping` (GET and HEAD; every CLI command starts with it) and `/version`. */
@Controller()
export class SystemController {
  constructor(private readonly system: SystemService) {}

  // Declared before GET: Express would otherwise answer HEAD with the GET route.
  /** pingHead answers `HEAD /_ping` with the ping headers and no body. */
  @Head('_ping')
  @PingHeaders()
  pingHead(): string {
    return '';
  }

  /** ping answers `GET /_ping` with `OK`. */
  @Get('_ping')
  @PingHeaders()
  ping(): string {
    return this.system.ping();
  }

  /** version answers `GET /version` for `docker version`. */
  @Get('version')
  version(@Res({ passthrough: true }) res: Response): SystemVersion {
    return this.system.version(String(res.locals['minApiVersion']));
  }
}
