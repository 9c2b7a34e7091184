import { Injectable } from '@nestjs/common';
import { WAIT_CONTAINER_V1, WaitContainerV1, WaitEventV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { Observable, filter, map } from 'rxjs';

/** WaitResponse is `POST /containers/{id}/wait`'s body (dockerd 20.10 writes `Error` as null). */
export interface WaitResponse {
  Error: { Message: string } | null;
  StatusCode: number;
}

/** The bus's silence limit for a wait: the runtime's heartbeats come well within it. */
const WAIT_SILENCE_MS = 60_000;

/** waitCondition reads `condition` as dockerd does: `not-running` by default, 400 for others. */
export function waitCondition(value: string | undefined): WaitContainerV1['condition'] {
  if (value === undefined || value === '') return 'not-running';
  if (value === 'not-running' || value === 'next-exit' || value === 'removed') return value;
  throw DomainError.invalidArgument(`invalid condition: ${JSON.stringify(value)}`);
}

/**
 * WaitContainerUseCase is `docker wait` (and `docker run`'s exit code): the runtime streams
 * `waiting` heartbeats until the condition holds, then `exited`. The stream emits `null` for the
 * first heartbeat (the container exists: time to answer the headers) and the response at the end.
 */
@Injectable()
export class WaitContainerUseCase {
  constructor(private readonly bus: Bus) {}

  execute(id: string, condition: WaitContainerV1['condition']): Observable<WaitResponse | null> {
    let first = true;
    return this.bus
      .stream<WaitEventV1>(WAIT_CONTAINER_V1, { id, condition }, { timeoutMs: WAIT_SILENCE_MS })
      .pipe(
        filter((event) => event.type === 'exited' || first),
        map((event) => {
          first = false;
          if (event.type !== 'exited') return null;
          return { Error: event.Error ?? null, StatusCode: event.StatusCode };
        }),
      );
  }
}
