import { IsUUID } from 'class-validator';

/**
 * The broadcast a caller sends when it stops listening to a streamed request (a `docker pull`
 * whose client went away) before the handler finished. Every service process hears it (a fanout,
 * not a queue: the caller cannot know which replica answers); the one answering the stream whose
 * `x-stevedore-stream` header carries `streamId` stops it. Transient: it is worthless once late.
 */
export const CANCEL_STREAM_V1 = 'bus.stream.cancel.v1' as const;

export class CancelStreamV1 {
  @IsUUID() streamId!: string;
}
