import type { LogEntry } from '@stevedore/oci-runtime';
import type { LogsOptions } from '@stevedore/runtime-http';
import { STDERR, STDOUT, muxFrame } from './stdcopy';

/** tailOf reads `tail`: `all` (or anything not a count, as dockerd) is every line. */
export function tailOf(tail: string): number | undefined {
  return /^\d+$/.test(tail) ? Number(tail) : undefined;
}

/**
 * logFrames turns log entries into what `docker logs` reads: each entry of a chosen stream,
 * prefixed with its RFC 3339 nanosecond timestamp and a space (`-t`) at the start of every line,
 * as raw bytes for a TTY or multiplexed frames otherwise.
 */
export async function* logFrames(
  entries: AsyncIterable<LogEntry>,
  options: Pick<LogsOptions, 'stdout' | 'stderr' | 'timestamps'>,
  tty: boolean,
): AsyncGenerator<Buffer> {
  // A partial record continues its line: the next record of that stream gets no timestamp.
  const midLine = { stdout: false, stderr: false };
  for await (const entry of entries) {
    if (!options[entry.stream]) continue;
    const stamp = options.timestamps && !midLine[entry.stream];
    midLine[entry.stream] = entry.partial;
    const data = stamp
      ? Buffer.concat([Buffer.from(`${entry.timestamp} `), entry.data])
      : entry.data;
    if (data.length === 0) continue;
    yield tty ? data : muxFrame(entry.stream === 'stderr' ? STDERR : STDOUT, data);
  }
}
