import { Injectable } from '@nestjs/common';
import { Observable, concatMap, from, of } from 'rxjs';
import type { JsonMessage } from '../engine-types';
import { PullImageUseCase } from '../../use-cases/pull-image/pull-image.use-case';
import { errorMessage } from './json-stream';
import { PullProgress } from './pull-progress';
import { pullTarget } from './pull-target';

/** EnginePullCommand is `POST /images/create` for a pull: its query and the `X-Registry-Auth` header. */
export interface EnginePullCommand {
  fromImage?: string;
  tag?: string;
  platform?: string;
  registryAuth?: string;
}

/** The in-stream answer to `docker pull -a` until pulling every tag is implemented. */
export const ALL_TAGS_MESSAGE =
  'pulling all tags is not supported yet: name a tag or a digest';

/**
 * PullUseCase is the Engine API pull: it validates the target (throwing INVALID_ARGUMENT before
 * anything is streamed), runs {@link PullImageUseCase} and renders its events as Docker's pull
 * stream. The credentials in `registryAuth` are passed through, never logged.
 */
@Injectable()
export class PullUseCase {
  constructor(private readonly pull: PullImageUseCase) {}

  execute(command: EnginePullCommand): Observable<JsonMessage> {
    const target = pullTarget(command.fromImage, command.tag);
    if (target === 'all-tags') return of(errorMessage(ALL_TAGS_MESSAGE));
    const progress = new PullProgress(target);
    const events = this.pull.execute({
      reference: target.toString(),
      ...(command.platform ? { platform: command.platform } : {}),
      ...(command.registryAuth ? { registryAuth: command.registryAuth } : {}),
    });
    return events.pipe(concatMap((event) => from(progress.render(event))));
  }
}
