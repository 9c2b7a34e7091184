import { ENGINE_EVENTS, type EngineEventV1 } from '@stevedore/contracts';

export { ENGINE_EVENTS };
/** EngineEvent is moby's `events.Message` (`timeNano` as decimal text: it exceeds 2^53). */
export type EngineEvent = EngineEventV1;

let last = 0n;

/** nowNano is the time in nanoseconds, strictly increasing within this process (events keep their order). */
export function nowNano(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n;
  last = now > last ? now : last + 1n;
  return last;
}

/**
 * imageEvent builds an image event as moby's LogImageEvent does: the actor is the image (or the
 * reference acted on), its attributes the image's labels plus `name`.
 */
export function imageEvent(
  action: string,
  id: string,
  name: string,
  labels: Record<string, string> = {},
): EngineEvent {
  const nano = nowNano();
  return {
    Type: 'image',
    Action: action,
    Actor: { ID: id, Attributes: { ...labels, name } },
    scope: 'local',
    time: Number(nano / 1_000_000_000n),
    timeNano: nano.toString(),
  };
}

/**
 * eventJson encodes an event as dockerd does (json.Encoder, one per line): the legacy `status`
 * `id` and `from` first (sent until API 1.52), attributes in Go's map order, `timeNano` exact.
 */
export function eventJson(event: EngineEvent): string {
  const attributes = Object.fromEntries(
    Object.keys(event.Actor.Attributes)
      .sort()
      .map((k) => [k, event.Actor.Attributes[k]]),
  );
  const body = JSON.stringify({
    status: event.Action,
    id: event.Actor.ID,
    // moby's legacy `from` is a container event's image.
    ...(event.Type === 'container' ? { from: event.Actor.Attributes['image'] ?? '' } : {}),
    Type: event.Type,
    Action: event.Action,
    Actor: { ID: event.Actor.ID, Attributes: attributes },
    scope: event.scope,
    time: event.time,
    timeNano: 0,
  });
  return `${body.slice(0, -2)}${event.timeNano}}\n`;
}
