import { Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ENGINE_EVENTS, type EngineEventV1 } from '@stevedore/contracts';
import { Broadcasts } from '@stevedore/messaging';
import type { ContainerRecord } from '../store/container-record';

let last = 0n;

/** nowNano is the time in nanoseconds, strictly increasing in this process (events keep their order). */
function nowNano(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n;
  last = now > last ? now : last + 1n;
  return last;
}

/**
 * EngineEvents publishes container events for `docker events` (fire-and-forget on the broadcast
 * channel every gateway hears) and tells the runtime when images go, so their snapshots can.
 */
@Injectable()
export class EngineEvents implements OnApplicationShutdown {
  private readonly stops: (() => void)[] = [];

  constructor(@Optional() private readonly broadcasts?: Broadcasts) {}

  /** container publishes moby's container event: attributes are the labels, `image` and `name`. */
  container(action: string, record: ContainerRecord, extra: Record<string, string> = {}): void {
    const nano = nowNano();
    const event: EngineEventV1 = {
      Type: 'container',
      Action: action,
      Actor: {
        ID: record.id,
        Attributes: {
          ...record.config.Labels,
          image: record.config.Image,
          name: record.name,
          ...extra,
        },
      },
      scope: 'local',
      time: Number(nano / 1_000_000_000n),
      timeNano: nano.toString(),
    };
    this.broadcasts?.publish(ENGINE_EVENTS, event);
  }

  /** onImageDeleted calls `handler` after every image deletion any gateway reports. */
  onImageDeleted(handler: () => void): void {
    const stop = this.broadcasts?.listen(ENGINE_EVENTS, (payload) => {
      const event = payload as Partial<EngineEventV1>;
      if (event.Type === 'image' && event.Action === 'delete') handler();
    });
    if (stop) this.stops.push(stop);
  }

  onApplicationShutdown(): void {
    for (const stop of this.stops) stop();
  }
}
