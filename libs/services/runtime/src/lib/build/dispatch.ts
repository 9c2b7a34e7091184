import type { Instruction } from '@stevedore/dockerfile';
import { BuildError } from './build-error';
import type { BuildSession } from './build-session';
import { dispatchConfig } from './dispatch-config';
import { dispatchCopy, dispatchRun, dispatchWorkdir } from './dispatch-fs';
import { parseOnbuildTrigger } from './language';
import type { StageState } from './stage-state';

/** dispatch runs one instruction on the stage (dockerd's `dispatch`), its containers removed after. */
export async function dispatch(s: BuildSession, st: StageState, inst: Instruction): Promise<void> {
  if (s.signal.aborted) throw new BuildError('Build cancelled');
  try {
    await dispatchOne(s, st, inst);
  } catch (err) {
    await s.afterStep(true);
    throw err;
  }
  await s.afterStep(false);
}

function dispatchOne(s: BuildSession, st: StageState, inst: Instruction): Promise<void> {
  switch (inst.kind) {
    case 'RUN':
      return dispatchRun(s, st, inst);
    case 'COPY':
    case 'ADD':
      return dispatchCopy(s, st, inst);
    case 'WORKDIR':
      return dispatchWorkdir(s, st, inst);
    default:
      return dispatchConfig(s, st, inst);
  }
}

/** runTriggers runs the base image's ONBUILD triggers first, as dockerd's `initializeStage`. */
export async function runTriggers(s: BuildSession, st: StageState): Promise<void> {
  const triggers = (st.config['OnBuild'] as string[] | null | undefined) ?? [];
  if (triggers.length === 0) return;
  st.config['OnBuild'] = null;
  // Three writes, as dockerd's Fprintf, Fprint("s") and Fprintln.
  s.out.text(`# Executing ${triggers.length} build trigger`);
  if (triggers.length > 1) s.out.text('s');
  s.out.text('\n');
  for (const trigger of triggers) await dispatch(s, st, parseOnbuildTrigger(trigger));
}
