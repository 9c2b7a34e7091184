import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Broadcasts } from '@stevedore/messaging';
import { ENGINE_EVENTS, EngineEvent } from './engine-event';

/** How many past events a gateway keeps for `since` (dockerd keeps 256). */
export const EVENT_LOG_SIZE = 1024;

/**
 * EventLog is this gateway replica's view of the engine's events: it hears every replica's
 * broadcasts (its own included), keeps the last EVENT_LOG_SIZE in order for `since`, and passes
 * each to the live `docker events` streams. Publishing is fire-and-forget ({@link publish}).
 */
@Injectable()
export class EventLog implements OnModuleInit, OnModuleDestroy {
  private readonly ring: EngineEvent[] = [];
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private stop: (() => void) | undefined;

  constructor(private readonly broadcasts: Broadcasts) {}

  onModuleInit(): void {
    // Nest may run this hook more than once for one instance: listen once.
    this.stop ??= this.broadcasts.listen(ENGINE_EVENTS, (payload) =>
      this.add(payload as EngineEvent),
    );
  }

  onModuleDestroy(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** publish sends `event` to every gateway replica; it never waits and never throws. */
  publish(event: EngineEvent): void {
    this.broadcasts.publish(ENGINE_EVENTS, event);
  }

  /** past lists the kept events from `since` to `until` (nanoseconds, inclusive), oldest first. */
  past(since: bigint, until: bigint | undefined): EngineEvent[] {
    return this.ring.filter((e) => {
      const t = BigInt(e.timeNano);
      return t >= since && (until === undefined || t <= until);
    });
  }

  /** subscribe calls `listener` with every event from now on, until the returned function. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private add(event: EngineEvent): void {
    // Events from several replicas may arrive slightly out of order: keep the ring sorted.
    let i = this.ring.length;
    while (i > 0 && BigInt((this.ring[i - 1] as EngineEvent).timeNano) > BigInt(event.timeNano))
      i--;
    this.ring.splice(i, 0, event);
    if (this.ring.length > EVENT_LOG_SIZE) this.ring.shift();
    for (const listener of this.listeners) listener(event);
  }
}
