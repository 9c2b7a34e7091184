import { CANCEL_STREAM_V1, CancelStreamV1 } from '@stevedore/contracts';

/** The header naming a streamed request, so its caller can call it off (see {@link CANCEL_STREAM_V1}). */
export const STREAM_HEADER = 'x-stevedore-stream';

/**
 * ActiveStreams are the streamed requests this process is answering, by stream id, each with how
 * to stop it. The handler interceptor keeps it; the broker's cancel broadcasts act on it.
 */
export class ActiveStreams {
  private readonly stops = new Map<string, () => void>();

  /** register keeps `stop` under `id` until the returned function forgets it. */
  register(id: string, stop: () => void): () => void {
    this.stops.set(id, stop);
    return () => {
      if (this.stops.get(id) === stop) this.stops.delete(id);
    };
  }

  /** cancel stops the stream `id` when this process answers it; others' ids are ignored. */
  cancel(id: string): void {
    const stop = this.stops.get(id);
    this.stops.delete(id);
    stop?.();
  }

  get size(): number {
    return this.stops.size;
  }
}

/** The streams of this process: one table, shared by every handler (in-process ones never use it). */
export const activeStreams = new ActiveStreams();

/** streamIdOf reads a cancel broadcast as Nest's RMQ client publishes it (`{pattern, data}`). */
export function streamIdOf(content: Buffer): string | undefined {
  try {
    const packet = JSON.parse(content.toString('utf8')) as { pattern?: unknown; data?: unknown };
    if (packet.pattern !== CANCEL_STREAM_V1) return undefined;
    const id = (packet.data as Partial<CancelStreamV1> | undefined)?.streamId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
