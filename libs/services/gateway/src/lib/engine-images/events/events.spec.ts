import { InProcessBroadcasts } from '@stevedore/messaging';
import { EngineEvent, eventJson, imageEvent } from './engine-event';
import { eventFilter } from './event-filter';
import { EVENT_LOG_SIZE, EventLog } from './event-log';
import { eventTime } from './events.controller';

const tick = () => new Promise((done) => setImmediate(done));

describe('engine events', () => {
  it('encodes an event as dockerd: legacy status/id first, sorted attributes, exact timeNano', () => {
    const event: EngineEvent = {
      ...imageEvent('tag', 'sha256:abc', 'app:1', { z: '1', a: '2' }),
      time: 1796273662,
      timeNano: '1796273662464000001',
    };
    expect(eventJson(event)).toBe(
      '{"status":"tag","id":"sha256:abc","Type":"image","Action":"tag","Actor":{"ID":"sha256:abc",' +
        '"Attributes":{"a":"2","name":"app:1","z":"1"}},"scope":"local","time":1796273662,' +
        '"timeNano":1796273662464000001}\n',
    );
  });

  it('filters by type, event, image (with or without tag) and label', () => {
    const event = imageEvent('pull', 'busybox:latest', 'busybox', { team: 'ops' });
    const match = (filters: Record<string, string[]>) =>
      eventFilter(new Map(Object.entries(filters)))(event);
    expect(match({})).toBe(true);
    expect(match({ type: ['image'], event: ['pull', 'push'] })).toBe(true);
    expect(match({ type: ['container'] })).toBe(false);
    expect(match({ image: ['busybox'] })).toBe(true);
    expect(match({ image: ['alpine'] })).toBe(false);
    expect(match({ label: ['team=ops'] })).toBe(true);
    expect(match({ label: ['team=dev'] })).toBe(false);
    expect(match({ container: ['x'] })).toBe(false);
  });

  it('reads since/until as seconds with optional nanoseconds', () => {
    expect(eventTime('1700000000')).toBe(1_700_000_000_000_000_000n);
    expect(eventTime('1700000000.5')).toBe(1_700_000_000_500_000_000n);
    expect(eventTime(undefined)).toBeUndefined();
    expect(() => eventTime('yesterday')).toThrow(/invalid timestamp/);
  });

  it('keeps a bounded, ordered log of what every publisher broadcast', async () => {
    const broadcasts = new InProcessBroadcasts();
    const log = new EventLog(broadcasts);
    log.onModuleInit();
    log.onModuleInit(); // a second hook call must not double every event
    const heard: string[] = [];
    log.subscribe((e) => heard.push(e.Action));
    for (let i = 0; i < EVENT_LOG_SIZE + 5; i++) log.publish(imageEvent(`a${i}`, 'x', 'x'));
    await tick();
    expect(heard).toHaveLength(EVENT_LOG_SIZE + 5);
    const past = log.past(0n, undefined);
    expect(past).toHaveLength(EVENT_LOG_SIZE);
    expect(past[0]?.Action).toBe('a5');
    log.onModuleDestroy();
  });
});
