import { Injectable } from '@nestjs/common';
import { Observable, catchError, concat, concatMap, defer, from, of, tap, throwError } from 'rxjs';
import { ImageRecord, LIST_TAGS_V1, TagListV1 } from '@stevedore/contracts';
import {
  DomainError,
  Reference,
  isDomainError,
  isPlatformMismatch,
  parseReference,
} from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import type { JsonMessage } from '../engine-types';
import { PullImageUseCase } from '../../use-cases/pull-image/pull-image.use-case';
import { imageEvent } from '../events/engine-event';
import { EventLog } from '../events/event-log';
import { PullProgress, pullStatus } from './pull-progress';
import { pullTarget } from './pull-target';

/** EnginePullCommand is `POST /images/create` for a pull: its query and the `X-Registry-Auth` header. */
export interface EnginePullCommand {
  fromImage?: string;
  tag?: string;
  platform?: string;
  registryAuth?: string;
}

/** How long listing a repository's tags may take (pagination over many pages). */
const LIST_TAGS_TIMEOUT_MS = 120_000;

/**
 * PullUseCase is the Engine API pull: it validates the target (throwing INVALID_ARGUMENT before
 * anything is streamed), runs {@link PullImageUseCase} and renders its events as Docker's pull
 * stream. The credentials in `registryAuth` are passed through, never logged.
 */
@Injectable()
export class PullUseCase {
  constructor(
    private readonly pull: PullImageUseCase,
    private readonly bus: Bus,
    private readonly events: EventLog,
  ) {}

  execute(command: EnginePullCommand): Observable<JsonMessage> {
    const target = pullTarget(command.fromImage, command.tag);
    const repository = target === 'all-tags' ? parseReference(command.fromImage ?? '') : target;
    const stream =
      target === 'all-tags'
        ? this.pullAllTags(repository, command)
        : this.pullOne(new PullProgress(target), command);
    return stream.pipe(
      catchError((err: unknown) => throwError(() => dockerPullError(repository, err))),
    );
  }

  private pullOne(progress: PullProgress, command: EnginePullCommand): Observable<JsonMessage> {
    const events = this.pull.execute({
      reference: progress.target.toString(),
      ...(command.platform ? { platform: command.platform } : {}),
      ...(command.registryAuth ? { registryAuth: command.registryAuth } : {}),
    });
    return events.pipe(
      tap((event) => event.type === 'image' && this.published(progress.target, event.image)),
      concatMap((event) => from(progress.render(event))),
      // The daemon names the pull before it finds the platform missing, then fails in-stream.
      catchError((err: unknown) =>
        isPlatformMismatch(err) && !progress.begun
          ? concat(
              of(progress.header()),
              throwError(() => err),
            )
          : throwError(() => err),
      ),
    );
  }

  /** published tells every gateway a pull completed (moby: the familiar reference and its name). */
  private published(target: Reference, image: ImageRecord): void {
    const ref = target.normalized();
    this.events.publish(imageEvent('pull', ref.familiar(), ref.familiarName(), image.labels));
  }

  /**
   * pullAllTags is `docker pull -a`: every tag of the repository, one after the other in the
   * registry's order, each with its own `<tag>: Pulling from` section, and one `Status:` line for
   * the repository at the end (as Docker does).
   */
  private pullAllTags(repository: Reference, command: EnginePullCommand): Observable<JsonMessage> {
    const listing = {
      repository: repository.name,
      ...(command.registryAuth ? { registryAuth: command.registryAuth } : {}),
    };
    return defer(() =>
      from(this.bus.send<TagListV1>(LIST_TAGS_V1, listing, { timeoutMs: LIST_TAGS_TIMEOUT_MS })),
    ).pipe(
      concatMap(({ tags }) => {
        const pulls = tags.map((tag) => new PullProgress(repository.withTag(tag), false));
        const end = defer(() =>
          of({
            status: pullStatus(
              repository.familiarName(),
              pulls.some((p) => p.changed),
            ),
          }),
        );
        return concat(...pulls.map((progress) => this.pullOne(progress, command)), end);
      }),
    );
  }
}

/**
 * dockerPullError words a failed pull as dockerd 20.10 does: a tag the repository lacks as
 * `manifest for <ref> not found: <cause>`; any other missing or forbidden repository as its
 * `translatePullError` does, `pull access denied for <name>, repository does not exist or may
 * require 'docker login': <cause>`; both 404. The cause is the registry's error as distribution
 * prints it, `<code in lower case>: <message>` (`manifest unknown: manifest unknown`).
 */
export function dockerPullError(ref: Reference, err: unknown): unknown {
  if (!isDomainError(err) || (err.code !== 'NOT_FOUND' && err.code !== 'DENIED')) return err;
  // The repository was found: only the platform asked for is missing.
  if (isPlatformMismatch(err)) return err;
  const registryCode = err.details?.['registryCode'];
  const cause =
    typeof registryCode === 'string'
      ? `${registryCode.toLowerCase().replace(/_/g, ' ')}: ${err.message}`
      : err.message;
  if (registryCode === 'MANIFEST_UNKNOWN' && ref.tag !== undefined && ref.digest === undefined)
    return DomainError.notFound(`manifest for ${ref.familiar()} not found: ${cause}`);
  return DomainError.notFound(
    `pull access denied for ${ref.familiarName()}, repository does not exist or may require 'docker login': ${cause}`,
  );
}
