import type { Duplex, Readable } from 'node:stream';
import { DetachFilter } from './detach-keys';
import type { ClientOut } from './stdcopy';

/** How long an ending session waits for its last bytes to reach the client before closing. */
const FLUSH_MS = 5_000;

/**
 * ClientConn is a hijacked client connection as a session uses it: writes that never throw once
 * the client is gone, the client's input through the detach filter, and an orderly end (end, wait
 * for the flush, then destroy) so the CLI sees EOF and returns. A half-close by the client (the CLI
 * closes its side at once when it sends no stdin) is not a disconnect; `gone` settles on a full
 * close or an error.
 */
export class ClientConn implements ClientOut {
  readonly gone: Promise<void>;
  readonly detached: Promise<void>;
  private onDetach: () => void = () => undefined;
  private reading = false;

  constructor(private readonly conn: Duplex) {
    this.gone = new Promise((resolve) => {
      conn.once('close', () => resolve());
      conn.on('error', () => resolve());
    });
    this.detached = new Promise((resolve) => (this.onDetach = resolve));
  }

  write(chunk: Buffer): void {
    if (!this.conn.destroyed && this.conn.writable) this.conn.write(chunk);
  }

  /**
   * input is the client's bytes up to the detach keys (which resolve `detached`). The end of the
   * client's input is passed on (closing the process's stdin) only when `passEnd`; otherwise it
   * is a detach, as dockerd ends an attach whose client closed stdin unless it must close the
   * container's (StdinOnce without a TTY). The docker CLI relies on it: it swallows the detach
   * keys itself and then only closes its side.
   */
  input(keys: Buffer, passEnd: boolean): Readable {
    this.reading = true;
    const filter = new DetachFilter(keys);
    filter.once('detach', () => this.onDetach());
    this.conn.pipe(filter, { end: passEnd });
    if (!passEnd) this.conn.once('end', () => this.onDetach());
    return filter;
  }

  /** discardInput reads and drops what the client sends, so its close is seen. */
  discardInput(): void {
    if (!this.reading) this.conn.resume();
    this.reading = true;
  }

  async finish(): Promise<void> {
    const conn = this.conn;
    if (conn.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FLUSH_MS);
      conn.end(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    conn.destroy();
  }
}
