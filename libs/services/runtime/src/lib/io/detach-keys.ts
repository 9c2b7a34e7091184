import { Transform, type TransformCallback } from 'node:stream';
import { DomainError } from '@stevedore/domain';

/** Docker's default detach sequence: ctrl-p, ctrl-q. */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

// moby/term's names: ctrl-@ is 0, ctrl-a 1 … ctrl-z 26, then ctrl-[ ctrl-\ ctrl-] ctrl-^ ctrl-_.
const CTRL = '@abcdefghijklmnopqrstuvwxyz[\\]^_';

/**
 * parseDetachKeys reads Docker's detach key syntax (`ctrl-p,ctrl-q`, `ctrl-a,a`, `DEL`): a
 * comma-separated list of single characters or `ctrl-<c>` names. Anything else is dockerd's 400
 * `Invalid detach keys (…) provided`. An empty or missing spec is the default.
 */
export function parseDetachKeys(spec: string | undefined): Buffer {
  const keys = spec === undefined || spec === '' ? DEFAULT_DETACH_KEYS : spec;
  const codes: number[] = [];
  for (const key of keys.split(',')) {
    const ctrl = /^ctrl-(.)$/.exec(key);
    const at = ctrl ? CTRL.indexOf(ctrl[1] as string) : -1;
    if (key.length === 1) codes.push(key.charCodeAt(0));
    else if (at >= 0) codes.push(at);
    else if (key === 'DEL') codes.push(127);
    else throw DomainError.invalidArgument(`Invalid detach keys (${keys}) provided`);
  }
  return Buffer.from(codes);
}

/**
 * DetachFilter passes a client's input through until it sees the detach sequence, then emits
 * `detach` and passes nothing more. Like moby's EscapeProxy it only takes keys that arrive alone
 * (as typed): a chunk counts when all of it continues the sequence, so a ctrl-p inside piped data
 * is data. Keys held back while a sequence might be starting are released when it does not.
 */
export class DetachFilter extends Transform {
  private matched = 0;
  private detached = false;

  constructor(private readonly keys: Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.detached) return done();
    if (this.keys.length > 0 && this.continues(chunk)) {
      this.matched += chunk.length;
      if (this.matched === this.keys.length) {
        this.detached = true;
        this.emit('detach');
      }
      return done();
    }
    const held = this.keys.subarray(0, this.matched);
    this.matched = 0;
    done(null, held.length > 0 ? Buffer.concat([held, chunk]) : chunk);
  }

  override _flush(done: TransformCallback): void {
    const held = this.keys.subarray(0, this.matched);
    done(null, held.length > 0 && !this.detached ? held : undefined);
  }

  private continues(chunk: Buffer): boolean {
    if (chunk.length === 0 || chunk.length > this.keys.length - this.matched) return false;
    return chunk.equals(this.keys.subarray(this.matched, this.matched + chunk.length));
  }
}
