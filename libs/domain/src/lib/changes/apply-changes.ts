import { DomainError } from '../errors/domain-error';
import { execOrShell, expand, json, pairs, required, words } from './change-syntax';

/** ChangedConfig is the part of an image config that `--change` lines edit (Docker's field names). */
export interface ChangedConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string>;
  OnBuild?: string[];
  User?: string;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  StopSignal?: string;
}

/**
 * applyChanges applies `docker import/commit --change` lines to `config`, in order, with Dockerfile
 * syntax: JSON (exec) or shell form for CMD/ENTRYPOINT/VOLUME, `K=V` pairs (quotes allowed) or
 * `K V` for ENV/LABEL, `$VAR`/`${VAR}` expanded from the current Env where Docker expands them.
 * An unknown instruction is INVALID_ARGUMENT `<instr> is not a valid change command`.
 */
export function applyChanges(base: ChangedConfig, lines: readonly string[]): ChangedConfig {
  const changing: Changing = { config: structuredClone(base), cmdSet: false };
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const [, word = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(trimmed) ?? [];
    const instruction = word.toUpperCase();
    if (!isInstruction(instruction))
      // dockerd names the instruction as its parser does: lower case.
      throw DomainError.invalidArgument(`${word.toLowerCase()} is not a valid change command`);
    HANDLERS[instruction](changing, rest.trim(), changing.config.Env ?? []);
  }
  return changing.config;
}

/** Changing is the config being edited and what earlier lines of the same changes did. */
interface Changing {
  config: ChangedConfig;
  /** True once a CMD line was applied: a later ENTRYPOINT then keeps it. */
  cmdSet: boolean;
}

/** A Handler applies one instruction's `args`; `env` is the Env as it was before this line. */
type Handler = (changing: Changing, args: string, env: readonly string[]) => void;

/** HANDLERS applies each instruction that Docker allows in a `--change` line. */
const HANDLERS = {
  CMD: (changing, args) => {
    changing.config.Cmd = execOrShell(args);
    changing.cmdSet = true;
  },
  ENTRYPOINT: (changing, args) => {
    changing.config.Entrypoint = execOrShell(args);
    // Docker: a new ENTRYPOINT resets CMD unless a CMD came earlier in the same changes.
    if (!changing.cmdSet) delete changing.config.Cmd;
  },
  // The config is this call's own copy (structuredClone), so the maps are filled in place: copying
  // them once per word made a long line quadratic, and one request froze the event loop.
  ENV: ({ config }, args, env) => {
    config.Env = setEnv(config.Env ?? [], pairs(args, 'ENV', env));
  },
  LABEL: ({ config }, args, env) => {
    const labels = (config.Labels ??= {});
    for (const [k, v] of pairs(args, 'LABEL', env)) labels[k] = v;
  },
  EXPOSE: ({ config }, args, env) => {
    const specs = words(expand(args, env));
    specs.forEach(checkPorts); // every range is checked before any is expanded
    const exposed = (config.ExposedPorts ??= {});
    for (const spec of specs) for (const port of ports(spec)) exposed[port] = {};
  },
  ONBUILD: ({ config }, args) => {
    config.OnBuild = [...(config.OnBuild ?? []), onBuildTrigger(args)];
  },
  USER: ({ config }, args, env) => {
    config.User = required(expand(args, env), 'USER');
  },
  VOLUME: ({ config }, args, env) => {
    const declared = (config.Volumes ??= {});
    for (const path of volumes(args, env)) declared[path] = {};
  },
  WORKDIR: ({ config }, args, env) => {
    config.WorkingDir = workdir(config.WorkingDir, required(expand(args, env), 'WORKDIR'));
  },
  STOPSIGNAL: ({ config }, args, env) => {
    config.StopSignal = required(expand(args, env), 'STOPSIGNAL');
  },
} satisfies Record<string, Handler>;

type Instruction = keyof typeof HANDLERS;

function isInstruction(word: string): word is Instruction {
  return Object.hasOwn(HANDLERS, word);
}

/** onBuildTrigger checks an ONBUILD line: not empty, and not a trigger Docker forbids. */
function onBuildTrigger(args: string): string {
  if (/^(ONBUILD|FROM|MAINTAINER)\b/i.test(args))
    throw DomainError.invalidArgument(
      `${args.split(/\s/)[0]?.toUpperCase()} isn't allowed as an ONBUILD trigger`,
    );
  if (args === '') throw DomainError.invalidArgument('ONBUILD requires at least one argument');
  return args;
}

/** volumes reads VOLUME's paths, JSON or blank-separated; an empty path is INVALID_ARGUMENT. */
function volumes(args: string, env: readonly string[]): string[] {
  const paths = args.startsWith('[') ? json(args, 'VOLUME') : words(expand(args, env));
  for (const path of paths) {
    if (path.trim() === '')
      throw DomainError.invalidArgument('VOLUME specified can not be an empty string');
  }
  return paths;
}

/** setEnv sets each `[key, value]` in `env` (replacing a key in place, else appending), in one pass. */
function setEnv(env: readonly string[], entries: readonly [string, string][]): string[] {
  const next = [...env];
  const at = new Map<string, number>();
  next.forEach((e, i) => at.set(e.split('=', 1)[0] ?? '', i));
  for (const [key, value] of entries) {
    const i = at.get(key) ?? next.length;
    at.set(key, i);
    next[i] = `${key}=${value}`;
  }
  return next;
}

/**
 * MAX_PORTS_PER_RANGE bounds one EXPOSE range. Docker expands any range; here a range is bounded so
 * that one `--change` line cannot make a config (and every answer that carries it) megabytes long.
 */
const MAX_PORTS_PER_RANGE = 10_000;

/** PortSpec is one EXPOSE word read: its first and last port and protocol. */
interface PortSpec {
  from: number;
  to: number;
  proto: string;
}

/** checkPorts reads `80`, `53/udp`, `8000-8002`; a bad or too large range is INVALID_ARGUMENT. */
function checkPorts(spec: string): PortSpec {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!m) throw DomainError.invalidArgument(`invalid port: ${spec}`);
  const from = Number(m[1]);
  const to = m[2] ? Number(m[2]) : from;
  if (from < 1 || to > 65535 || to < from)
    throw DomainError.invalidArgument(`invalid port range: ${spec}`);
  if (to - from + 1 > MAX_PORTS_PER_RANGE)
    throw DomainError.invalidArgument(
      `invalid port range: ${spec}: at most ${MAX_PORTS_PER_RANGE} ports per range`,
    );
  return { from, to, proto: (m[3] ?? 'tcp').toLowerCase() };
}

/** ports expands a checked EXPOSE word into `port/proto` keys. */
function ports(spec: string): string[] {
  const { from, to, proto } = checkPorts(spec);
  return Array.from({ length: to - from + 1 }, (_, i) => `${from + i}/${proto}`);
}

function workdir(current: string | undefined, path: string): string {
  const joined = path.startsWith('/') ? path : `${current ?? '/'}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
