/** ENGINE_EVENTS is the broadcast channel of `docker events`: every gateway replica hears it. */
export const ENGINE_EVENTS = 'engine-events';

/**
 * EngineEventV1 is one `docker events` message as moby's events.Message has it (API 1.22+
 * keys); publishers fill it, gateways keep and filter it.
 */
export interface EngineEventV1 {
  Type: 'image' | 'container';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: string;
}
