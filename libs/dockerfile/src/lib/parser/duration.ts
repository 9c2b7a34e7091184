import { InstructionError } from './parse-error';

const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const MAX_NS = 2 ** 63 - 1;

/** Go's time.ParseDuration (`1m30s`, `1.5h`, `300ms`), in nanoseconds, with Go's messages. */
export function parseGoDuration(text: string): number {
  const quoted = JSON.stringify(text);
  const invalid = (): InstructionError => new InstructionError(`time: invalid duration ${quoted}`);
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    s = s.slice(number?.[0].length ?? 0);
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? '';
    if (unit === '') throw new InstructionError(`time: missing unit in duration ${quoted}`);
    const scale = UNITS[unit];
    if (scale === undefined) {
      throw new InstructionError(
        `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`,
      );
    }
    s = s.slice(unit.length);
    total += Number(whole || '0') * scale + (fraction ? Number(`0.${fraction}`) * scale : 0);
    if (total > MAX_NS) throw invalid();
  }
  return negative ? -Math.trunc(total) : Math.trunc(total);
}
