import { DomainError } from '@stevedore/domain';

/**
 * ByteReader cuts an async stream of chunks into consecutive pieces of exact lengths without
 * buffering more than one source chunk — how a blob is split into upload chunks.
 */
export class ByteReader {
  private leftover: Uint8Array | undefined;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** take yields exactly `length` bytes (in one or more chunks); INVALID_ARGUMENT if the source ends first. */
  async *take(length: number): AsyncGenerator<Uint8Array> {
    let remaining = length;
    while (remaining > 0) {
      const chunk = this.leftover ?? (await this.next());
      this.leftover = undefined;
      if (chunk.byteLength > remaining) {
        yield chunk.subarray(0, remaining);
        this.leftover = chunk.subarray(remaining);
        remaining = 0;
      } else {
        yield chunk;
        remaining -= chunk.byteLength;
      }
    }
  }

  /** finish checks that nothing is left, letting a verifying source run its end-of-stream check. */
  async finish(): Promise<void> {
    if (this.leftover && this.leftover.byteLength > 0)
      throw DomainError.invalidArgument('blob source yielded more bytes than its size');
    const last = await this.source.next();
    if (!last.done)
      throw DomainError.invalidArgument('blob source yielded more bytes than its size');
  }

  private async next(): Promise<Uint8Array> {
    const result = await this.source.next();
    if (result.done) throw DomainError.invalidArgument('blob source ended before its size');
    return result.value;
  }
}
