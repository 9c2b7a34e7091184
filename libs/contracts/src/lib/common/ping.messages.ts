/** Asks a service to answer at once: a readiness probe's round trip, which touches no storage. */
export class PingV1 {}
/** The answer to a ping: nothing but its arrival. */
export type PongV1 = Record<string, never>;
