import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** One record of conmon's k8s-file log: a full line (ends with \n) or a partial one. */
export interface LogEntry {
  /** When conmon read it; `timestamp` keeps the nanoseconds, in UTC (`…Z`) as Docker prints. */
  time: Date;
  timestamp: string;
  stream: 'stdout' | 'stderr';
  data: Buffer;
  partial: boolean;
}

export interface ReadLogsOptions {
  follow?: boolean;
  /** Unix seconds (fractions allowed): entries before are skipped. */
  since?: number;
  /** Unix seconds: entries after are skipped, and following stops there. */
  until?: number;
  /** Keep only the last N lines (a partial record counts with the line it completes). */
  tail?: number;
  /** While following: resolves when the container has exited; the rest of the file is then read. */
  stopped?: Promise<unknown>;
  pollMs?: number;
}

const LINE = /^(\S+) (stdout|stderr) ([PF]) (.*)$/s;

/** parseLogLine reads `2024-01-01T00:00:00.123456789+00:00 stdout F text` (k8s-file). */
export function parseLogLine(line: string): LogEntry | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const [, ts = '', stream, flag, text = ''] = m;
  const time = new Date(ts);
  if (Number.isNaN(time.getTime())) return undefined;
  const nanos = /\.(\d+)/.exec(ts)?.[1]?.padEnd(9, '0') ?? '000000000';
  const timestamp = `${time.toISOString().slice(0, 19)}.${nanos}Z`;
  const partial = flag === 'P';
  const data = Buffer.from(partial ? text : `${text}\n`, 'utf8');
  return { time, timestamp, stream: stream as 'stdout' | 'stderr', data, partial };
}

/**
 * lineBatches reads the complete lines from `from` to the current end of the file, 64 KiB at a
 * time (a log is never held whole); `cursor.offset` ends just after the last newline read.
 */
async function* lineBatches(fh: FileHandle, cursor: { offset: number }): AsyncGenerator<string[]> {
  let carry = Buffer.alloc(0);
  let pos = cursor.offset;
  for (;;) {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    const all = carry.length
      ? Buffer.concat([carry, buf.subarray(0, bytesRead)])
      : buf.subarray(0, bytesRead);
    const end = all.lastIndexOf(0x0a);
    carry = end < 0 ? all : all.subarray(end + 1);
    if (end < 0) continue;
    cursor.offset = pos - carry.length;
    yield all.subarray(0, end).toString('utf8').split('\n');
  }
}

function inWindow(e: LogEntry, opts: ReadLogsOptions): boolean {
  const t = e.time.getTime() / 1000;
  return (
    (opts.since === undefined || t >= opts.since) && (opts.until === undefined || t <= opts.until)
  );
}

/** Tail keeps the records of the last `n` lines while the file streams by. */
class Tail {
  private entries: LogEntry[] = [];
  private lines = 0;

  constructor(private readonly n: number) {}

  add(e: LogEntry): void {
    this.entries.push(e);
    if (!e.partial) this.lines++;
    while (this.lines > this.n && this.entries.length > 0) {
      // Drop whole lines from the front: partial records up to and including their full record.
      const dropped = this.entries.shift() as LogEntry;
      if (!dropped.partial) this.lines--;
    }
  }

  get result(): LogEntry[] {
    return this.entries;
  }
}

function parseAll(lines: string[], opts: ReadLogsOptions): LogEntry[] {
  return lines.map(parseLogLine).filter((e): e is LogEntry => e !== undefined && inWindow(e, opts));
}

/**
 * readLogs reads a conmon k8s-file log. Without `follow` it reads what is there; with it, it then
 * waits for more until `stopped` resolves (the container exited; the rest is drained) or `until`
 * passes. A missing file yields nothing (the container never wrote).
 */
export async function* readLogs(
  logPath: string,
  opts: ReadLogsOptions = {},
): AsyncGenerator<LogEntry> {
  const fh = await open(logPath, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    const cursor = { offset: 0 };
    const tail = opts.tail !== undefined && opts.tail >= 0 ? new Tail(opts.tail) : undefined;
    for await (const lines of lineBatches(fh, cursor)) {
      for (const e of parseAll(lines, opts)) {
        if (tail) tail.add(e);
        else yield e;
      }
    }
    if (tail) yield* tail.result;
    if (opts.follow) yield* follow(fh, cursor, opts);
  } finally {
    await fh.close();
  }
}

async function* follow(
  fh: FileHandle,
  cursor: { offset: number },
  opts: ReadLogsOptions,
): AsyncGenerator<LogEntry> {
  let stopped = false;
  void opts.stopped?.then(() => (stopped = true));
  while (opts.until === undefined || Date.now() / 1000 <= opts.until) {
    const wasStopped = stopped;
    const before = cursor.offset;
    for await (const lines of lineBatches(fh, cursor)) yield* parseAll(lines, opts);
    if (wasStopped) return;
    if (cursor.offset === before) await sleep(opts.pollMs ?? 100);
  }
}
