import type { ContainerStateV1 } from '@stevedore/contracts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** createdState is a new container's State, as dockerd shows it before the first start. */
export function createdState(): ContainerStateV1 {
  return {
    Status: 'created',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
  };
}

export function runningState(previous: ContainerStateV1, pid: number): ContainerStateV1 {
  return {
    ...previous,
    Status: 'running',
    Running: true,
    Pid: pid,
    ExitCode: 0,
    Error: '',
    StartedAt: new Date().toISOString(),
  };
}

export function exitedState(previous: ContainerStateV1, exitCode: number): ContainerStateV1 {
  return {
    ...previous,
    Status: 'exited',
    Running: false,
    Paused: false,
    Pid: 0,
    ExitCode: exitCode,
    FinishedAt: new Date().toISOString(),
  };
}

/** failedStartState is a container whose process never started: dockerd keeps it `created` with the error. */
export function failedStartState(
  previous: ContainerStateV1,
  exitCode: number,
  error: string,
): ContainerStateV1 {
  return { ...previous, Running: false, Pid: 0, ExitCode: exitCode, Error: error };
}
