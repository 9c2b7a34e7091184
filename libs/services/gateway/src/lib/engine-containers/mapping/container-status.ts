import type { ContainerStateV1 } from '@stevedore/contracts';
import { humanDuration } from './human-duration';

/** Go's zero time as dockerd writes it: a container never started has this StartedAt. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

function isZero(time: string): boolean {
  return time === '' || time.startsWith('0001-01-01');
}

function since(time: string, now: number): string {
  return humanDuration(Math.max(0, now - Date.parse(time)));
}

/**
 * statusText is a container's `Status` in `docker ps` (dockerd's `State.String()`): "Up 5
 * seconds", "Up 2 minutes (Paused)", "Restarting (1) 3 seconds ago", "Exited (0) 17 seconds ago",
 * "Created", "Dead", "Removal In Progress"; `now` is unix ms.
 */
export function statusText(state: ContainerStateV1, now: number): string {
  if (state.Running) {
    if (state.Paused) return `Up ${since(state.StartedAt, now)} (Paused)`;
    if (state.Restarting)
      return `Restarting (${state.ExitCode}) ${since(state.FinishedAt, now)} ago`;
    return `Up ${since(state.StartedAt, now)}`;
  }
  if (state.Status === 'removing') return 'Removal In Progress';
  if (state.Dead) return 'Dead';
  if (isZero(state.StartedAt)) return 'Created';
  if (isZero(state.FinishedAt)) return '';
  return `Exited (${state.ExitCode}) ${since(state.FinishedAt, now)} ago`;
}

export { ZERO_TIME };
