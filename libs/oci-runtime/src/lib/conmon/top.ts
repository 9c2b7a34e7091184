import { DomainError } from '@stevedore/domain';
import { run } from './run';

/** TopResult is the body of Docker's `GET /containers/{id}/top`. */
export interface TopResult {
  Titles: string[];
  Processes: string[][];
}

/**
 * parsePs keeps the rows of `ps` output whose PID is one of the container's, as moby's
 * parsePSOutput: fields split on blanks, the last column (the command) keeps its spaces.
 */
export function parsePs(output: string, pids: readonly number[]): TopResult {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const Titles = (lines[0] ?? '').trim().split(/\s+/);
  const pidIndex = Titles.indexOf('PID');
  if (pidIndex < 0) throw DomainError.invalidArgument("Couldn't find PID field in ps output");
  const Processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const row = [...fields.slice(0, Titles.length - 1), fields.slice(Titles.length - 1).join(' ')];
    const pid = Number(row[pidIndex]);
    if (pids.includes(pid)) Processes.push(row);
  }
  return { Titles, Processes };
}

/** psTop runs the host's `ps` with Docker's default `-ef` (or the caller's arguments). */
export async function psTop(pids: readonly number[], psArgs = '-ef'): Promise<TopResult> {
  const args = psArgs.trim() === '' ? [] : psArgs.trim().split(/\s+/);
  const out = await run('ps', args);
  if (out.code !== 0) {
    throw DomainError.invalidArgument(
      `Error running ps: ${out.stderr.trim() || `exit ${out.code}`}`,
    );
  }
  return parsePs(out.stdout, pids);
}
