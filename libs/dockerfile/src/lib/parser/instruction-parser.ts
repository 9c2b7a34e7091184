import type {
  ArgInstruction,
  CommandForm,
  CopyInstruction,
  FromInstruction,
  HealthcheckInstruction,
  Instruction,
  KeyValueInstruction,
} from '../instructions';
import type { Node } from './ast';
import { BFlags } from './bflags';
import { parseGoDuration } from './duration';
import { InstructionError } from './parse-error';

/**
 * Typed instructions from parsed nodes (buildkit `instructions/parse.go` as built into dockerd
 * 20.10). Checks run in dockerd's order, so the first error reported is the same one.
 */
export function parseInstruction(node: Node): Instruction | FromInstruction {
  const parse = PARSERS[node.cmd.toLowerCase()];
  if (!parse) throw new InstructionError(`unknown instruction: ${node.cmd.toUpperCase()}`);
  return parse(node, { line: node.startLine, original: node.original.trim() });
}

type Source = { readonly line: number; readonly original: string };
type Parser = (node: Node, source: Source) => Instruction | FromInstruction;

const fail = (message: string): never => {
  throw new InstructionError(message);
};
const atLeastOne = (cmd: string): never => fail(`${cmd} requires at least one argument`);
const exactlyOne = (cmd: string): never => fail(`${cmd} requires exactly one argument`);
const flags = (node: Node, spec: Readonly<Record<string, 'string' | 'strings'>> = {}) =>
  new BFlags(node.flags).parse(spec);

/** Shell-dependent commands: JSON args as they are, shell form as one text. */
const commandForm = (node: Node): CommandForm =>
  node.json ? { json: true, args: [...node.args] } : { json: false, text: node.args.join(' ') };

function keyValues(kind: 'ENV' | 'LABEL'): Parser {
  return (node, source): KeyValueInstruction => {
    flags(node);
    if (node.args.length === 0) atLeastOne(kind);
    if (node.args.length % 2 !== 0) fail(`Bad input to ${kind}, too many arguments`);
    const pairs: [string, string][] = [];
    for (let i = 0; i < node.args.length; i += 2) {
      const key = node.args[i] as string;
      if (key === '') fail(`${kind} names can not be blank`);
      pairs.push([key, node.args[i + 1] as string]);
    }
    return { kind, ...source, pairs };
  };
}

function copyOrAdd(kind: 'COPY' | 'ADD'): Parser {
  return (node, source): CopyInstruction => {
    if (node.args.length < 2) {
      fail(
        `${kind} requires at least two arguments, but only one was provided. Destination could not be determined`,
      );
    }
    const spec =
      kind === 'COPY'
        ? { chown: 'string', from: 'string', chmod: 'string' }
        : { chown: 'string', chmod: 'string' };
    const { values } = flags(node, spec as Record<string, 'string'>);
    return {
      kind,
      ...source,
      sources: node.args.slice(0, -1),
      dest: node.args[node.args.length - 1] as string,
      ...optional('from', values.get('from')),
      ...optional('chown', values.get('chown')),
      ...optional('chmod', values.get('chmod')),
    };
  };
}

/** A flag given as `--x=` is kept (dockerd treats an empty value like an absent one). */
const optional = <K extends string>(
  key: K,
  value: string | undefined,
): Partial<Record<K, string>> =>
  value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);

const STAGE_NAME_RE = /^[a-z][a-z0-9-_.]*$/;

const parseFrom: Parser = (node, source): FromInstruction => {
  const args = node.args;
  let stageName: string | undefined;
  if (args.length === 3 && (args[1] as string).toLowerCase() === 'as') {
    stageName = (args[2] as string).toLowerCase();
    if (!STAGE_NAME_RE.test(stageName)) {
      fail(
        `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`,
      );
    }
  } else if (args.length !== 1) {
    fail('FROM requires either one or three arguments');
  }
  const { values } = flags(node, { platform: 'string' });
  return {
    kind: 'FROM',
    ...source,
    image: args[0] as string,
    ...optional('stageName', stageName),
    ...optional('platform', values.get('platform')),
  };
};

const parseArg: Parser = (node, source): ArgInstruction => {
  if (node.args.length === 0) atLeastOne('ARG');
  const args = node.args.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) return { name: word };
    if (eq === 0) fail('ARG names can not be blank');
    return { name: word.slice(0, eq), defaultValue: word.slice(eq + 1) };
  });
  return { kind: 'ARG', ...source, args };
};

const parseOnbuild: Parser = (node, source) => {
  if (node.args.length === 0) atLeastOne('ONBUILD');
  flags(node);
  const trigger = (node.args[0] as string).trim().toUpperCase();
  if (trigger === 'ONBUILD') fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (trigger === 'MAINTAINER' || trigger === 'FROM') {
    fail(`${trigger} isn't allowed as an ONBUILD trigger`);
  }
  return { kind: 'ONBUILD', ...source, trigger: node.original.replace(/^\s*ONBUILD\s*/i, '') };
};

const MIN_INTERVAL_NS = 1e6;

function interval(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ns = parseGoDuration(value);
  if (ns < MIN_INTERVAL_NS) fail(`Interval ${JSON.stringify(name)} cannot be less than 1ms`);
  return ns;
}

function retries(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[+-]?[0-9]+$/.test(value) || Math.abs(Number(value)) > 2 ** 31) {
    fail(
      `strconv.ParseInt: parsing ${JSON.stringify(value)}: ${/^[+-]?[0-9]+$/.test(value) ? 'value out of range' : 'invalid syntax'}`,
    );
  }
  const count = Number(value);
  if (count < 1) fail(`--retries must be at least 1 (not ${count})`);
  return count;
}

const parseHealthcheck: Parser = (node, source): HealthcheckInstruction => {
  if (node.args.length === 0) atLeastOne('HEALTHCHECK');
  const type = (node.args[0] as string).toUpperCase();
  const rest = node.args.slice(1);
  if (type === 'NONE') {
    if (rest.length !== 0) fail('HEALTHCHECK NONE takes no arguments');
    return { kind: 'HEALTHCHECK', ...source, test: ['NONE'] };
  }
  const { values } = flags(node, {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    retries: 'string',
  });
  if (type !== 'CMD') fail(`Unknown type ${JSON.stringify(type)} in HEALTHCHECK (try CMD)`);
  const command = node.json ? rest : rest.length === 0 ? [] : [rest.join(' ')];
  if (command.length === 0) fail('Missing command after HEALTHCHECK CMD');
  return {
    kind: 'HEALTHCHECK',
    ...source,
    test: [node.json ? 'CMD' : 'CMD-SHELL', ...command],
    ...definedOnly({
      intervalNs: interval('interval', values.get('interval')),
      timeoutNs: interval('timeout', values.get('timeout')),
      startPeriodNs: interval('start-period', values.get('start-period')),
      retries: retries(values.get('retries')),
    }),
  };
};

const definedOnly = <T extends Record<string, number | undefined>>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;

function oneWord(kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL' | 'MAINTAINER'): Parser {
  return (node, source) => {
    if (node.args.length !== 1) exactlyOne(kind);
    // dockerd never parses STOPSIGNAL's flags: `STOPSIGNAL --x=1 SIGTERM` is accepted.
    if (kind !== 'STOPSIGNAL') flags(node);
    return { kind, ...source, word: node.args[0] as string };
  };
}

const parseExpose: Parser = (node, source) => {
  if (node.args.length === 0) atLeastOne('EXPOSE');
  flags(node);
  // dockerd sorts the raw words (Go's sort.Strings: byte order).
  const words = [...node.args].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'EXPOSE', ...source, words };
};

const parseVolume: Parser = (node, source) => {
  if (node.args.length === 0) atLeastOne('VOLUME');
  flags(node);
  const words = node.args.map((word) => word.trim());
  if (words.some((word) => word === '')) fail('VOLUME specified can not be an empty string');
  return { kind: 'VOLUME', ...source, words };
};

const parseShell: Parser = (node, source) => {
  flags(node);
  if (node.args.length === 0) atLeastOne('SHELL');
  if (!node.json) fail('SHELL requires the arguments to be in JSON form');
  return { kind: 'SHELL', ...source, args: [...node.args] };
};

const PARSERS: Readonly<Record<string, Parser>> = {
  env: keyValues('ENV'),
  maintainer: oneWord('MAINTAINER'),
  label: keyValues('LABEL'),
  add: copyOrAdd('ADD'),
  copy: copyOrAdd('COPY'),
  from: parseFrom,
  onbuild: parseOnbuild,
  workdir: oneWord('WORKDIR'),
  run: (node, source) => {
    const { lists } = flags(node, { mount: 'strings' });
    return { kind: 'RUN', ...source, command: commandForm(node), mounts: lists.get('mount') ?? [] };
  },
  cmd: (node, source) => {
    flags(node);
    return { kind: 'CMD', ...source, command: commandForm(node) };
  },
  healthcheck: parseHealthcheck,
  entrypoint: (node, source) => {
    flags(node);
    return { kind: 'ENTRYPOINT', ...source, command: commandForm(node) };
  },
  expose: parseExpose,
  user: oneWord('USER'),
  volume: parseVolume,
  stopsignal: oneWord('STOPSIGNAL'),
  arg: parseArg,
  shell: parseShell,
};
