import type { Instruction } from '@stevedore/dockerfile';
import type { BuildSession } from './build-session';
import type { StageState } from './stage-state';
import {
  commandOf,
  goList,
  goQuoteList,
  healthcheckComment,
  type Healthcheck,
  type RunConfig,
} from './steps/run-config';

type Of<K extends Instruction['kind']> = Instruction & { kind: K };
/** A handler changes the config and says the step's nop comment (`ENV a=1`, `CMD ["sh"]`). */
type Handler<K extends Instruction['kind']> = (s: BuildSession, st: StageState, i: Of<K>) => string;

const HANDLERS: { [K in Instruction['kind']]?: Handler<K> } = {
  ENV: (s, st, i) => {
    const env = st.env();
    const pairs = i.pairs.map(([k, v]) => `${k}=${s.expander.word(v, env)}`);
    let list = st.envList();
    for (const pair of pairs) {
      const key = pair.split('=', 1)[0];
      list = [...list.filter((e) => e.split('=', 1)[0] !== key), pair];
    }
    st.config['Env'] = list;
    return `ENV ${pairs.join(' ')}`;
  },
  LABEL: (s, st, i) => {
    const env = st.env();
    const pairs = i.pairs.map(([k, v]) => [s.expander.word(k, env), s.expander.word(v, env)]);
    st.config['Labels'] = { ...mapOf(st.config['Labels']), ...Object.fromEntries(pairs) };
    return `LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
  },
  MAINTAINER: (_s, st, i) => {
    st.maintainer = i.word;
    return `MAINTAINER ${i.word}`;
  },
  ARG: (s, st, i) => {
    const words = i.args.map((arg) => {
      const raw = arg.defaultValue;
      const value = raw === undefined ? s.metaArgs.get(arg.name) : s.expander.word(raw, st.env());
      st.declared.set(arg.name, value);
      s.usedArgs.add(arg.name);
      return value === undefined ? arg.name : `${arg.name}=${value}`;
    });
    return `ARG ${words.join(' ')}`;
  },
  EXPOSE: (s, st, i) => {
    const ports = i.words.flatMap((w) => s.expander.words(w, st.env()));
    const exposed = mapOf(st.config['ExposedPorts']);
    for (const p of ports.flatMap(expandPorts)) exposed[p] = {};
    st.config['ExposedPorts'] = exposed;
    return `EXPOSE ${ports.join(' ')}`;
  },
  VOLUME: (s, st, i) => {
    // dockerd expands VOLUME paths word by word (words() is EXPOSE's).
    const paths = i.words.map((w) => s.expander.word(w, st.env()));
    st.config['Volumes'] = { ...mapOf(st.config['Volumes']), ...keys(paths) };
    return `VOLUME ${goList(paths)}`;
  },
  USER: (s, st, i) => `USER ${set(st.config, 'User', s.expander.word(i.word, st.env()))}`,
  STOPSIGNAL: (s, st, i) =>
    `STOPSIGNAL ${set(st.config, 'StopSignal', s.expander.word(i.word, st.env()))}`,
  SHELL: (_s, st, i) => `SHELL ${goList(set(st.config, 'Shell', [...i.args]))}`,
  ONBUILD: (_s, st, i) => {
    st.config['OnBuild'] = [...((st.config['OnBuild'] as string[] | null) ?? []), i.trigger];
    return `ONBUILD ${i.trigger}`;
  },
  HEALTHCHECK: (_s, st, i) => healthcheckComment(set(st.config, 'Healthcheck', healthOf(i))),
  CMD: (_s, st, i) => `CMD ${goQuoteList(set(st.config, 'Cmd', commandOf(st.config, i.command)))}`,
  ENTRYPOINT: (_s, st, i) => {
    const entrypoint = set(st.config, 'Entrypoint', commandOf(st.config, i.command));
    // dockerd: an ENTRYPOINT drops an inherited CMD, not one this stage set.
    if (!st.cmdSet) st.config['Cmd'] = null;
    return `ENTRYPOINT ${goQuoteList(entrypoint)}`;
  },
};

/**
 * dispatchConfig runs a metadata-only instruction as dockerd's dispatchers do: the config
 * changes, then a nop commit under dockerd's comment for it.
 */
export async function dispatchConfig(s: BuildSession, st: StageState, inst: Instruction) {
  const handler = HANDLERS[inst.kind] as Handler<Instruction['kind']> | undefined;
  if (!handler) throw new Error(`${inst.kind} changes the filesystem: not a config step`);
  await s.commitNop(st, handler(s, st, inst));
  if (inst.kind === 'CMD') st.cmdSet = true;
}

function healthOf(i: Of<'HEALTHCHECK'>): Healthcheck {
  const h: Healthcheck = { Test: [...i.test] };
  if (i.intervalNs) h.Interval = i.intervalNs;
  if (i.timeoutNs) h.Timeout = i.timeoutNs;
  if (i.startPeriodNs) h.StartPeriod = i.startPeriodNs;
  if (i.retries) h.Retries = i.retries;
  return h;
}

function set<T>(config: RunConfig, key: string, value: T): T {
  config[key] = value;
  return value;
}

function mapOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {};
}

function keys(list: readonly string[]): Record<string, object> {
  return Object.fromEntries(list.map((k) => [k, {}]));
}

/** expandPorts turns `80`, `53/udp`, `8000-8002/tcp` into `80/tcp`-style keys. */
export function expandPorts(word: string): string[] {
  const [range = '', proto = 'tcp'] = word.split('/');
  const [from, to] = range.split('-').map(Number);
  if (from === undefined || !Number.isInteger(from)) return [`${range}/${proto.toLowerCase()}`];
  const end = to !== undefined && Number.isInteger(to) ? to : from;
  const out: string[] = [];
  for (let p = from; p <= end; p++) out.push(`${p}/${proto.toLowerCase()}`);
  return out;
}
