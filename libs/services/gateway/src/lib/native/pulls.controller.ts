import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PullEvent, PullImageUseCase } from '../use-cases/pull-image/pull-image.use-case';
import { streamNdjson } from './ndjson';
import { PullRequestDto } from './pull-request.dto';

/** Native pull API: newline-delimited JSON progress, then the image record. */
@Controller('api/v1/pulls')
export class PullsController {
  constructor(private readonly pull: PullImageUseCase) {}

  @Post()
  create(
    @Body() body: PullRequestDto,
    @Headers('x-registry-auth') registryAuth: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const command = {
      reference: body.reference,
      ...(body.platform ? { platform: body.platform } : {}),
      ...(registryAuth ? { registryAuth } : {}),
    };
    return streamNdjson(res, this.pull.execute(command), renderPullEvent);
  }
}

/** The wire form of a pull event (`event` names its kind). */
export function renderPullEvent(event: PullEvent): object {
  const { type, ...rest } = event;
  return { event: type, ...rest };
}
