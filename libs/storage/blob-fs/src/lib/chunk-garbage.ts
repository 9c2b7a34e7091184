import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes written between two scavenges: small against the ~64 MB of dead buffers V8 lets pile up. */
const BYTES_PER_SCAVENGE = 4 * 1024 * 1024;

type Gc = (options: { type: 'minor'; execution: 'async' }) => void;

/**
 * Every chunk that streams into an ingest is a fresh Buffer that dies as soon as it is hashed and
 * written, but V8 collects young objects with off-heap backing stores only once tens of megabytes
 * of them piled up, and the allocator keeps what it once held: a 200 MB pull would lift the
 * resident set by some 40 MB. A scavenge every 4 MB keeps the pile small for well under a
 * millisecond each. `gc` is reached through a fresh context because `--expose-gc` set at run time
 * only applies to contexts created afterwards; without it nothing changes but the memory bound.
 */
function loadGc(): Gc | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}

const gc = loadGc();
let sinceLast = 0;

/** noteChunkWritten counts `bytes` just written and runs a scavenge once enough have passed. */
export function noteChunkWritten(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < BYTES_PER_SCAVENGE || gc === undefined) return;
  sinceLast = 0;
  gc({ type: 'minor', execution: 'async' });
}
