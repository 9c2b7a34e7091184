import { constants } from 'node:os';
import { DomainError } from '@stevedore/domain';

const signals = constants.signals as Record<string, number>;

/**
 * parseSignal reads a signal as Docker's signal.ParseSignal does: a number, or a name with or
 * without `SIG`, any case (`9`, `KILL`, `sigterm`). Anything else is INVALID_ARGUMENT with
 * Docker's text.
 */
export function parseSignal(raw: string | number): number {
  if (typeof raw === 'number' || /^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n >= 1 && n <= 64) return n;
    throw DomainError.invalidArgument(`Invalid signal: ${raw}`);
  }
  const name = raw.toUpperCase().replace(/^SIG/, '');
  const n = signals[`SIG${name}`];
  if (n === undefined) throw DomainError.invalidArgument(`Invalid signal: ${raw}`);
  return n;
}
