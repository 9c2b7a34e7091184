import type { Readable } from 'node:stream';

/** A message conmon writes on its sync or attach pipe: a pid, an exit code, or -1 and an error. */
export interface SyncMessage {
  data: number;
  message?: string;
}

/**
 * SyncReader reads conmon's newline-terminated JSON messages (`{"data": 123}`,
 * `{"data": -1, "message": "…"}`) one at a time; `next()` resolves undefined at end of stream.
 */
export class SyncReader {
  private buffer = '';
  private readonly queue: SyncMessage[] = [];
  private waiters: Array<(m: SyncMessage | undefined) => void> = [];
  private ended = false;

  constructor(private readonly stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.push(chunk));
    const end = () => this.finish();
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  next(): Promise<SyncMessage | undefined> {
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** close stops reading so the pipe does not keep the Node process alive. */
  close(): void {
    this.stream.destroy();
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line !== '') this.deliver(JSON.parse(line) as SyncMessage);
    }
  }

  private deliver(m: SyncMessage | undefined): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(m);
    else if (m) this.queue.push(m);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
