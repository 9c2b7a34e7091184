import { setTimeout as sleep } from 'node:timers/promises';

/** Size of the blocks a tap copies written bytes into: a follower's chunk, as a file read's. */
const BLOCK_BYTES = 1024 * 1024;

/**
 * How an ingest stands, as its followers see it: `verified` is a whole blob whose size and digest
 * were checked, being made durable and published (it becomes `committed` or `closed`).
 */
export type TapOutcome = 'open' | 'verified' | 'committed' | 'closed' | 'failed';

interface Block {
  start: number;
  bytes: Buffer;
  filled: number;
}

/**
 * IngestTap hands the bytes an ingest of this process writes to the followers of that ingest in
 * the same process, from memory: a follower close behind the writer reads no file, and learns of
 * the commit the moment it happens instead of polling for it. Only while someone follows does the
 * tap copy what is written, into 1 MiB blocks of which it keeps the last two; a follower further
 * behind reads the file, as a follower in another process always does. The bytes are copied (not
 * referenced) because a writer may reuse its buffer once its write returned.
 */
export class IngestTap {
  private blocks: Block[] = [];
  private followers = 0;
  private written: number;
  private state: TapOutcome = 'open';
  private wakers: (() => void)[] = [];

  /** `ino` is the data file's inode, `written` the bytes it holds when the ingest opens. */
  constructor(
    readonly ino: number,
    written: number,
  ) {
    this.written = written;
  }

  get outcome(): TapOutcome {
    return this.state;
  }

  /** How far the ingest's file goes. */
  get end(): number {
    return this.written;
  }

  /** join registers a follower: writes from now on are kept for it. Returns its leave. */
  join(): () => void {
    this.followers += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.followers -= 1;
      if (this.followers === 0) this.blocks = [];
    };
  }

  /** wrote records `chunk`, just appended to the file. */
  wrote(chunk: Uint8Array): void {
    const start = this.written;
    this.written += chunk.byteLength;
    if (this.followers > 0 && this.state === 'open') this.keep(chunk, start);
  }

  /** settle records how the ingest stands now and wakes every waiting follower. */
  settle(outcome: Exclude<TapOutcome, 'open'>): void {
    if (this.state !== 'open' && this.state !== 'verified') return;
    this.state = outcome;
    this.wake();
  }

  /** Whether the followers have the whole blob, verified: they may give its last bytes. */
  get verified(): boolean {
    return this.state === 'verified' || this.state === 'committed';
  }

  /**
   * bytesAt answers the kept bytes from `offset` on, up to the end of the block that holds them:
   * empty when `offset` is where the writer stands (wait with {@link changed}), undefined when
   * the tap does not hold them (read the file).
   */
  bytesAt(offset: number): Buffer | undefined {
    if (this.state !== 'open' && !this.verified) return undefined;
    if (offset === this.written) return this.state === 'open' ? Buffer.alloc(0) : undefined;
    const block = this.blocks.find((b) => b.start <= offset && offset < b.start + b.filled);
    return block?.bytes.subarray(offset - block.start, block.filled);
  }

  /** changed resolves when a block filled or the ingest ended, or after `ms`. */
  async changed(ms: number, signal: AbortSignal): Promise<void> {
    if (this.state !== 'open') return;
    let waker!: () => void;
    const woken = new Promise<void>((resolve) => (waker = resolve));
    this.wakers.push(waker);
    const controller = new AbortController();
    const both = AbortSignal.any([signal, controller.signal]);
    try {
      await Promise.race([woken, sleep(ms, undefined, { signal: both })]);
    } finally {
      controller.abort();
      this.wakers = this.wakers.filter((w) => w !== waker);
    }
  }

  private keep(chunk: Uint8Array, start: number): void {
    let from = 0;
    while (from < chunk.byteLength) {
      const block = this.blockFor(start + from);
      const n = Math.min(chunk.byteLength - from, block.bytes.length - block.filled);
      block.bytes.set(chunk.subarray(from, from + n), block.filled);
      block.filled += n;
      from += n;
      if (block.filled === block.bytes.length) this.wake();
    }
  }

  /** blockFor is the block the byte at `offset` goes into: the last one, or a new one. */
  private blockFor(offset: number): Block {
    const last = this.blocks[this.blocks.length - 1];
    if (last && last.start + last.filled === offset && last.filled < last.bytes.length) return last;
    const block = { start: offset, bytes: Buffer.allocUnsafe(BLOCK_BYTES), filled: 0 };
    this.blocks = [...this.blocks.slice(-1), block];
    return block;
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}
