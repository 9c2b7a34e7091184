import { DomainError } from '../errors/domain-error';

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

const ALLOWED = [
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'LABEL',
  'ONBUILD',
  'USER',
  'VOLUME',
  'WORKDIR',
  'STOPSIGNAL',
] as const;
type Instruction = (typeof ALLOWED)[number];

/**
 * applyChanges applies `docker import/commit --change` lines to `config`, in order, with Dockerfile
 * syntax: JSON (exec) or shell form for CMD/ENTRYPOINT/VOLUME, `K=V` pairs (quotes allowed) or
 * `K V` for ENV/LABEL, `$VAR`/`${VAR}` expanded from the current Env where Docker expands them.
 * An unknown instruction is INVALID_ARGUMENT `<INSTR> is not a valid change command`.
 */
export function applyChanges(base: ChangedConfig, lines: readonly string[]): ChangedConfig {
  const config: ChangedConfig = structuredClone(base);
  let cmdSet = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const [, word = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(trimmed) ?? [];
    const instruction = word.toUpperCase();
    if (!(ALLOWED as readonly string[]).includes(instruction))
      throw DomainError.invalidArgument(`${word} is not a valid change command`);
    cmdSet = apply(config, instruction as Instruction, rest.trim(), cmdSet);
  }
  return config;
}

function apply(
  config: ChangedConfig,
  instruction: Instruction,
  args: string,
  cmdSet: boolean,
): boolean {
  const env = config.Env ?? [];
  switch (instruction) {
    case 'CMD':
      config.Cmd = execOrShell(args);
      return true;
    case 'ENTRYPOINT':
      config.Entrypoint = execOrShell(args);
      // Docker: a new ENTRYPOINT resets CMD unless a CMD came earlier in the same changes.
      if (!cmdSet) delete config.Cmd;
      return cmdSet;
    case 'ENV':
      for (const [k, v] of pairs(args, 'ENV', env)) config.Env = setEnv(config.Env ?? [], k, v);
      return cmdSet;
    case 'LABEL':
      for (const [k, v] of pairs(args, 'LABEL', env))
        config.Labels = { ...(config.Labels ?? {}), [k]: v };
      return cmdSet;
    case 'EXPOSE':
      for (const port of words(expand(args, env)).flatMap(ports))
        config.ExposedPorts = { ...(config.ExposedPorts ?? {}), [port]: {} };
      return cmdSet;
    case 'ONBUILD':
      if (/^(ONBUILD|FROM|MAINTAINER)\b/i.test(args))
        throw DomainError.invalidArgument(
          `${args.split(/\s/)[0]?.toUpperCase()} isn't allowed as an ONBUILD trigger`,
        );
      if (args === '') throw DomainError.invalidArgument('ONBUILD requires at least one argument');
      config.OnBuild = [...(config.OnBuild ?? []), args];
      return cmdSet;
    case 'USER':
      config.User = required(expand(args, env), 'USER');
      return cmdSet;
    case 'VOLUME':
      for (const path of args.startsWith('[') ? json(args, 'VOLUME') : words(expand(args, env))) {
        if (path.trim() === '')
          throw DomainError.invalidArgument('VOLUME specified can not be an empty string');
        config.Volumes = { ...(config.Volumes ?? {}), [path]: {} };
      }
      return cmdSet;
    case 'WORKDIR':
      config.WorkingDir = workdir(config.WorkingDir, required(expand(args, env), 'WORKDIR'));
      return cmdSet;
    case 'STOPSIGNAL':
      config.StopSignal = required(expand(args, env), 'STOPSIGNAL');
      return cmdSet;
  }
}

function required(value: string, instruction: string): string {
  if (value === '')
    throw DomainError.invalidArgument(`${instruction} requires exactly one argument`);
  return value;
}

function json(args: string, instruction: string): string[] {
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
  } catch {
    // fall through
  }
  throw DomainError.invalidArgument(
    `${instruction}: a JSON array of strings was expected: ${args}`,
  );
}

/** execOrShell reads the JSON form (`["sh","-c"]`) or the shell form (`/bin/sh -c "<line>"`). */
function execOrShell(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      return json(args, 'CMD');
    } catch {
      // Not valid JSON: Docker treats it as a shell command line.
    }
  }
  return ['/bin/sh', '-c', args];
}

function setEnv(env: string[], key: string, value: string): string[] {
  const entry = `${key}=${value}`;
  const i = env.findIndex((e) => e.split('=', 1)[0] === key);
  return i === -1 ? [...env, entry] : env.map((e, j) => (j === i ? entry : e));
}

/** pairs reads `K=V K2="v 2"` or the legacy `K V…` form. */
function pairs(args: string, instruction: string, env: string[]): [string, string][] {
  const tokens = words(args);
  if (tokens.length === 0)
    throw DomainError.invalidArgument(`${instruction} requires at least one argument`);
  if (!tokens[0]?.includes('=')) {
    const [key = '', ...value] = tokens;
    return [[key, expand(value.join(' '), env)]];
  }
  return tokens.map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0)
      throw DomainError.invalidArgument(`${instruction} names must be followed by '=': ${t}`);
    return [t.slice(0, eq), expand(t.slice(eq + 1), env)];
  });
}

/** words splits on blanks, honouring double and single quotes and backslash escapes (quotes removed). */
function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === '\\' && quote !== "'" && i + 1 < text.length) {
      cur += text.charAt(++i);
      started = true;
    } else if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (quote) throw DomainError.invalidArgument(`unterminated quote in: ${text}`);
  if (started) out.push(cur);
  return out;
}

function expand(text: string, env: readonly string[]): string {
  const lookup = (name: string) =>
    env.find((e) => e.split('=', 1)[0] === name)?.slice(name.length + 1) ?? '';
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a: string | undefined, b: string | undefined) => lookup(a ?? b ?? ''),
  );
}

/** ports expands `80`, `53/udp`, `8000-8002` into `port/proto` keys. */
function ports(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!m) throw DomainError.invalidArgument(`invalid port: ${spec}`);
  const from = Number(m[1]);
  const to = m[2] ? Number(m[2]) : from;
  if (from < 1 || to > 65535 || to < from)
    throw DomainError.invalidArgument(`invalid port range: ${spec}`);
  const proto = (m[3] ?? 'tcp').toLowerCase();
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
