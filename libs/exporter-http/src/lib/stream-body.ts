import type { Readable } from 'node:stream';

/**
 * StreamBody hands `source` to an HTTP client as a request body. Nothing is read until the client
 * sends (so a replica that refused the connection can be skipped with the stream untouched), and
 * the source is never destroyed: when the other side answers early (an error) or the request is
 * cut, the caller still owns it and can drain it to answer its own client.
 */
export class StreamBody {
  private reading = false;

  constructor(private readonly source: Readable) {}

  /** started is true once a byte may have left. */
  get started(): boolean {
    return this.reading;
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    this.reading = true;
    for await (const chunk of this.source.iterator({ destroyOnReturn: false }))
      yield chunk as Uint8Array;
  }
}
