import { InstructionError } from './parse-error';

/**
 * Instruction flags (`--from=x`) checked against the set an instruction allows (buildkit
 * `instructions/bflag.go` as built into dockerd 20.10, hence its capitalised messages).
 */
export class BFlags {
  private readonly allowed = new Map<string, 'string' | 'strings'>();

  constructor(private readonly words: readonly string[]) {}

  /** Declares the allowed flags and parses the given ones; throws dockerd's message. */
  parse(spec: Readonly<Record<string, 'string' | 'strings'>>): {
    values: Map<string, string>;
    lists: Map<string, string[]>;
  } {
    for (const [name, type] of Object.entries(spec)) this.allowed.set(name, type);
    const values = new Map<string, string>();
    const lists = new Map<string, string[]>();
    for (const word of this.words) {
      if (!word.startsWith('--')) throw new InstructionError(`Arg should start with -- : ${word}`);
      if (word === '--') break;
      const eq = word.indexOf('=', 2);
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const type = this.allowed.get(name);
      if (type === undefined) throw new InstructionError(`Unknown flag: ${name}`);
      if (type === 'string' && values.has(name)) {
        throw new InstructionError(`Duplicate flag specified: ${name}`);
      }
      if (eq < 0) throw new InstructionError(`Missing a value on flag: ${name}`);
      const value = word.slice(eq + 1);
      if (type === 'strings') lists.set(name, [...(lists.get(name) ?? []), value]);
      else values.set(name, value);
    }
    return { values, lists };
  }
}
