import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import type { CopyInstruction, RunInstruction, WordInstruction } from '@stevedore/dockerfile';
import { resolveInRoot } from '@stevedore/snapshots';
import { goOrdered } from '../commit/commit-config';
import { BuildError } from './build-error';
import { type BuildSession, short } from './build-session';
import { copyIntoRoot } from './copy/copy-into-root';
import { resolveSources, sourceHash, type SourceTree } from './copy/copy-sources';
import type { StageState } from './stage-state';
import {
  cacheCmdOf,
  commandOf,
  copyComment,
  nopCmdString,
  type RunConfig,
} from './steps/run-config';

const BUILDKIT =
  'Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled';

/** dispatchRun is dockerd's `dispatchRun`: probe with the `|N args` Cmd, run, commit, remove. */
export async function dispatchRun(s: BuildSession, st: StageState, inst: RunInstruction) {
  if (inst.mounts.length > 0)
    throw new BuildError(`the --mount option requires BuildKit. ${BUILDKIT}`);
  const cmd = commandOf(st.config, inst.command);
  const args = st.allowedArgs();
  const probe = goOrdered({ ...st.config, Cmd: cacheCmdOf(cmd, st.allowedArgs(true)) });
  if (await s.probe(st, probe)) return;
  const runConfig: RunConfig = {
    ...st.config,
    Cmd: cmd,
    Env: [...st.envList(), ...args],
    Entrypoint: [],
  };
  delete runConfig['Healthcheck'];
  const record = await s.deps.containers.create(st.image, runConfig, s.hostConfig());
  s.track(record.id);
  s.out.text(` ---> Running in ${short(record.id)}\n`);
  const code = await s.deps.containers.run(record.id, s.out, s.signal);
  if (s.signal.aborted) throw new BuildError('Build cancelled');
  if (code !== 0)
    throw new BuildError(`The command '${cmd.join(' ')}' returned a non-zero code: ${code}`, code);
  const id = await s.deps.containers.commit(s.deps.store.get(record.id), {
    parent: st.image,
    config: goOrdered(st.config),
    containerConfig: probe,
    containerId: record.id,
    author: st.maintainer,
    pause: false,
  });
  await s.moveTo(st, id);
}

/** dispatchWorkdir is dockerd's: the nop step creates the directory in a container it commits. */
export async function dispatchWorkdir(s: BuildSession, st: StageState, inst: WordInstruction) {
  const word = s.expander.word(inst.word, st.env());
  const dir = posix.resolve('/', (st.config['WorkingDir'] as string) || '/', word);
  st.config['WorkingDir'] = dir;
  const probe = goOrdered({ ...st.config, Cmd: nopCmdString(st.config, `WORKDIR ${dir}`) });
  if (await s.probe(st, probe)) return;
  const record = await s.deps.containers.create(st.image, probe, s.hostConfig());
  s.track(record.id);
  s.out.text(` ---> Running in ${short(record.id)}\n`);
  const root = await s.deps.containers.root(record);
  await mkdir(await resolveInRoot(root, dir), { recursive: true, mode: 0o755 });
  await s.commitStep(st, record.id, probe, record.id);
}

/** dispatchCopy is COPY/ADD: sources hashed into the cache key, copied in a container, committed. */
export async function dispatchCopy(s: BuildSession, st: StageState, inst: CopyInstruction) {
  const env = st.env();
  const chmod = inst.chmod ? s.expander.word(inst.chmod, env) : undefined;
  const mode = chmod === undefined ? undefined : parseChmod(chmod);
  const words = inst.sources.map((w) => s.expander.word(w, env));
  const url = words.find((w) => /^https?:\/\//.test(w));
  if (url)
    throw new BuildError(
      `${inst.kind} failed: ${url} is not on this builder's allow-list of remote sources`,
    );
  const tree = inst.from ? await s.treeOf(inst.from) : s.contextTree();
  const sources = await resolveSources(tree, words, inst.kind);
  const raw = s.expander.word(inst.dest, env);
  const workdir = (st.config['WorkingDir'] as string) || '/';
  const dest = raw.startsWith('/')
    ? raw
    : posix.join('/', workdir, raw) + (raw.endsWith('/') ? '/' : '');
  const chown = inst.chown ? s.expander.word(inst.chown, env) : undefined;
  const comment = copyComment(inst.kind, chown, sourceHash(sources), raw, chmod);
  const probe = goOrdered({ ...st.config, Cmd: nopCmdString(st.config, comment) });
  if (await s.probe(st, probe)) return;
  const record = await s.deps.containers.create(st.image, probe, s.hostConfig());
  s.track(record.id);
  const root = await s.deps.containers.root(record);
  const extractArchives = inst.kind === 'ADD';
  const plan = { tree, sources, dest, cmd: inst.kind, extractArchives };
  await copyIntoRoot(root, {
    ...plan,
    ...(chown ? { chown } : {}),
    ...(mode === undefined ? {} : { chmod: mode }),
  });
  await s.commitStep(st, record.id, probe, '');
  await s.untrack(record.id, false);
}

/** parseChmod reads `--chmod` as BuildKit does: an octal mode up to 07777, in its words otherwise. */
export function parseChmod(word: string): number {
  if (!/^[0-7]{1,5}$/.test(word) || parseInt(word, 8) > 0o7777)
    throw new BuildError(
      `invalid chmod parameter: ${word}. it should be octal string and between 0 and 07777`,
    );
  return parseInt(word, 8);
}

export type { SourceTree };
