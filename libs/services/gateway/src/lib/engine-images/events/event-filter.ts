import { parseReference } from '@stevedore/domain';
import type { EngineEvent } from './engine-event';

/** The filter keys of object types Stevedore has no events of: nothing matches them. */
const OTHER_TYPES = [
  'volume',
  'network',
  'plugin',
  'daemon',
  'node',
  'service',
  'secret',
  'config',
];

/**
 * eventFilter is moby's events filter for image and container events: `type`, `event` (the
 * action), `image` (an image event's actor ID or `name`, a container event's `image` attribute,
 * with or without their tag), `container` (a container event's ID, ID prefix or name), `label`
 * (`key` or `key=value`) and `scope`; values of one key are ORed, keys ANDed; an absent key
 * matches everything.
 */
export function eventFilter(filters: Map<string, string[]>): (event: EngineEvent) => boolean {
  const any = (key: string, test: (value: string) => boolean): boolean => {
    const values = filters.get(key);
    return values === undefined || values.length === 0 || values.some(test);
  };
  return (event) => {
    const name = event.Actor.Attributes['name'] ?? '';
    const container = event.Type === 'container';
    const image = container ? (event.Actor.Attributes['image'] ?? '') : name;
    const images = [image, familiarName(image)];
    if (!container) images.push(event.Actor.ID, familiarName(event.Actor.ID));
    const isContainer = (v: string): boolean =>
      container && (v === name || event.Actor.ID.startsWith(v));
    return (
      any('container', isContainer) &&
      any('type', (v) => v === event.Type) &&
      any('event', (v) => v === event.Action) &&
      any('scope', (v) => v === event.scope) &&
      any('image', (v) => images.includes(v)) &&
      (filters.get('label') ?? []).every((v) => hasLabel(event.Actor.Attributes, v)) &&
      OTHER_TYPES.every((key) => (filters.get(key) ?? []).length === 0)
    );
  };
}

function hasLabel(attributes: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq === -1) return filter in attributes;
  return attributes[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** familiarName is moby's stripTag: the familiar repository name, or the text as it is. */
function familiarName(text: string): string {
  try {
    return parseReference(text).familiarName();
  } catch {
    return text;
  }
}
