import { readFile } from 'node:fs/promises';
import { AccessLogEntry } from './registry.types';

interface RegistryLogLine {
  msg?: unknown;
  'http.request.method'?: unknown;
  'http.request.uri'?: unknown;
  'http.response.status'?: unknown;
  'http.response.written'?: unknown;
}

function parseLine(line: string): RegistryLogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as RegistryLogLine;
  } catch {
    // A line cut in half by a concurrent write is not an entry yet; the next read will see it whole.
    return undefined;
  }
}

// distribution logs one "response completed" (or "... with error") line per request it handled; a
// request its access controller refused gets only "error authorizing context: …" and a 401.
function statusOf(line: RegistryLogLine): number | undefined {
  const { msg } = line;
  const status = line['http.response.status'];
  if (typeof msg !== 'string') return undefined;
  if (msg.startsWith('response completed') && typeof status === 'number') return status;
  if (msg.startsWith('error authorizing context')) return 401;
  return undefined;
}

function toEntry(line: RegistryLogLine): AccessLogEntry | undefined {
  const method = line['http.request.method'];
  const uri = line['http.request.uri'];
  const status = statusOf(line);
  if (typeof method !== 'string' || typeof uri !== 'string' || status === undefined)
    return undefined;
  const queryAt = uri.indexOf('?');
  const entry: AccessLogEntry = {
    method,
    path: queryAt < 0 ? uri : uri.slice(0, queryAt),
    status,
  };
  if (queryAt >= 0) entry.query = uri.slice(queryAt + 1);
  const written = line['http.response.written'];
  if (typeof written === 'number') entry.written = written;
  return entry;
}

/** parseAccessLog extracts the served requests from distribution's JSON log text, in log order. */
export function parseAccessLog(text: string): AccessLogEntry[] {
  const entries: AccessLogEntry[] = [];
  for (const line of text.split('\n')) {
    const parsed = parseLine(line.trim());
    const entry = parsed && toEntry(parsed);
    if (entry) entries.push(entry);
  }
  return entries;
}

const SETTLE_MS = 30;
const SETTLE_ROUNDS = 20;

/**
 * readAccessLog reads and parses a registry log file once it stopped growing for a moment: the
 * registry writes a request's line after the client may already have the whole response.
 */
export async function readAccessLog(file: string): Promise<AccessLogEntry[]> {
  let text = await readFile(file, 'utf8');
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const again = await readFile(file, 'utf8');
    if (again.length === text.length) break;
    text = again;
  }
  return parseAccessLog(text);
}
