import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { WaitContainerV1, WaitEventV1 } from '@stevedore/contracts';
import { ContainerEvents, type StateChange } from '../lifecycle/container-events';
import { ContainerStore } from '../store/container-store';

const HEARTBEAT_MS = 10_000;

/**
 * WaitContainerUseCase is `docker wait` (and `docker run`'s wait): heartbeats keep the bus
 * stream alive while the container runs; the end is one `exited` with the exit code.
 */
@Injectable()
export class WaitContainerUseCase {
  constructor(
    private readonly store: ContainerStore,
    private readonly events: ContainerEvents,
  ) {}

  execute(request: WaitContainerV1): Observable<WaitEventV1> {
    return new Observable<WaitEventV1>((subscriber) => {
      const record = this.store.get(request.id);
      const exited = (code: number): void => {
        subscriber.next({ type: 'exited', StatusCode: code });
        subscriber.complete();
      };
      if (request.condition === 'not-running' && !record.state.Running) {
        exited(record.state.ExitCode);
        return undefined;
      }
      let lastExit = record.state.ExitCode;
      const off = this.events.on(record.id, (change: StateChange) => {
        if (change.kind === 'exited') lastExit = change.exitCode;
        if (change.kind === 'exited' && request.condition !== 'removed') exited(change.exitCode);
        if (change.kind === 'removed' && request.condition === 'removed') exited(lastExit);
      });
      const beat = setInterval(() => subscriber.next({ type: 'waiting' }), HEARTBEAT_MS);
      subscriber.next({ type: 'waiting' });
      return () => {
        off();
        clearInterval(beat);
      };
    });
  }
}
