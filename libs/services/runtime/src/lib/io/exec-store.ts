import { randomBytes } from 'node:crypto';
import type { ExecJsonV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import type { ExecSession } from '@stevedore/oci-runtime';

/** ExecConfig is an exec as `POST /containers/{id}/exec` created it (dockerd's ExecConfig). */
export interface ExecConfig {
  cmd: string[];
  env: string[];
  user: string;
  workingDir: string;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  privileged: boolean;
  detachKeys: string;
  /** `[height, width]` the CLI asks for a TTY exec (API 1.42+), applied once it runs. */
  consoleSize?: [number, number];
}

/** ExecRecord is an exec and what became of it; `session` is its live process while it runs. */
export interface ExecRecord extends ExecConfig {
  id: string;
  containerId: string;
  /** Set by the first start: a second one is dockerd's conflict. */
  started: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  session?: ExecSession;
}

/**
 * ExecStore keeps execs in memory, as dockerd does: an exec is a short-lived thing of a running
 * container, gone with the process (`dropContainer` forgets a removed container's execs).
 */
export class ExecStore {
  private readonly execs = new Map<string, ExecRecord>();

  create(containerId: string, config: ExecConfig): ExecRecord {
    const id = randomBytes(32).toString('hex');
    const exec: ExecRecord = {
      ...config,
      id,
      containerId,
      started: false,
      running: false,
      exitCode: null,
      pid: 0,
    };
    this.execs.set(id, exec);
    return exec;
  }

  /** get is the exec or dockerd's 404 `No such exec instance`. */
  get(id: string): ExecRecord {
    const exec = this.execs.get(id);
    if (!exec) throw DomainError.notFound(`No such exec instance: ${id}`);
    return exec;
  }

  /** runningIds are a container's running execs (inspect's `ExecIDs`, null when none). */
  runningIds(containerId: string): string[] | null {
    const ids = [...this.execs.values()]
      .filter((e) => e.containerId === containerId && e.running)
      .map((e) => e.id);
    return ids.length > 0 ? ids : null;
  }

  dropContainer(containerId: string): void {
    for (const exec of this.execs.values())
      if (exec.containerId === containerId) this.execs.delete(exec.id);
  }
}

/** execJsonOf is `GET /exec/{id}/json`. */
export function execJsonOf(exec: ExecRecord): ExecJsonV1 {
  const [entrypoint = '', ...args] = exec.cmd;
  return {
    ID: exec.id,
    Running: exec.running,
    ExitCode: exec.exitCode,
    ProcessConfig: {
      tty: exec.tty,
      entrypoint,
      arguments: args,
      privileged: exec.privileged,
      ...(exec.user ? { user: exec.user } : {}),
    },
    OpenStdin: exec.attachStdin,
    OpenStderr: exec.attachStderr,
    OpenStdout: exec.attachStdout,
    CanRemove: false,
    ContainerID: exec.containerId,
    DetachKeys: exec.detachKeys,
    Pid: exec.pid,
  };
}

/** execConfigOf reads an Engine API ExecConfig (the gateway checked that Cmd is not empty). */
export function execConfigOf(raw: Record<string, unknown>): ExecConfig {
  const strings = (v: unknown, key: string): string[] => {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
    throw DomainError.invalidArgument(`invalid ${key}: expected an array of strings`);
  };
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const cmd = strings(raw['Cmd'], 'Cmd');
  if (cmd.length === 0) throw DomainError.invalidArgument('No exec command specified');
  const workingDir = str(raw['WorkingDir']);
  if (workingDir !== '' && !workingDir.startsWith('/'))
    throw DomainError.invalidArgument(
      `the working directory '${workingDir}' is invalid, it needs to be an absolute path`,
    );
  const size = raw['ConsoleSize'];
  const consoleSize =
    Array.isArray(size) && size.length === 2 && size.every((n) => Number.isInteger(n) && n > 0)
      ? (size as [number, number])
      : undefined;
  return {
    cmd,
    env: strings(raw['Env'], 'Env'),
    user: str(raw['User']),
    workingDir,
    tty: raw['Tty'] === true,
    attachStdin: raw['AttachStdin'] === true,
    attachStdout: raw['AttachStdout'] === true,
    attachStderr: raw['AttachStderr'] === true,
    privileged: raw['Privileged'] === true,
    detachKeys: str(raw['DetachKeys']),
    ...(consoleSize ? { consoleSize } : {}),
  };
}
