import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { DomainError } from '@stevedore/domain';
import { SyncReader } from './sync-pipe';

/** A conmon being launched: its sync pipe and, for an attached exec, the attach/start pipes. */
export interface ConmonLaunch {
  child: ChildProcess;
  sync: SyncReader;
  attachPipe?: SyncReader;
  startPipe?: Writable;
  /** Resolves with what the short-lived conmon parent wrote on stderr once it exited. */
  parentExit: Promise<{ code: number | null; stderr: string }>;
}

/**
 * launchConmon spawns conmon with its pipes as podman does (`_OCI_SYNCPIPE`, and for an attached
 * exec `_OCI_ATTACHPIPE`/`_OCI_STARTPIPE`). conmon forks itself into the background and calls
 * setsid, so the container's monitor is not our child and outlives this process.
 */
export function launchConmon(
  conmonPath: string,
  args: string[],
  withAttach: boolean,
): ConmonLaunch {
  const env: NodeJS.ProcessEnv = { ...process.env, _OCI_SYNCPIPE: '3' };
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'ignore', 'pipe', 'pipe'];
  if (withAttach) {
    stdio.push('pipe', 'pipe');
    env['_OCI_ATTACHPIPE'] = '4';
    env['_OCI_STARTPIPE'] = '5';
  }
  const child = spawn(conmonPath, args, { stdio, env, detached: true });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const parentExit = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new DomainError('UNAVAILABLE', `cannot run ${conmonPath}: ${err.message}`)),
    );
    child.on('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
  child.unref();
  const launch: ConmonLaunch = {
    child,
    sync: new SyncReader(child.stdio[3] as Readable),
    parentExit,
  };
  if (withAttach) {
    launch.attachPipe = new SyncReader(child.stdio[4] as Readable);
    launch.startPipe = (child.stdio as unknown as Writable[])[5];
    // The first write lets conmon go on (podman moves it into a cgroup first; we have none to do).
    launch.startPipe?.write('0');
  }
  return launch;
}

/** failedToLaunch explains a conmon that ended without reporting a pid. */
export async function failedToLaunch(launch: ConmonLaunch): Promise<DomainError> {
  const { code, stderr } = await launch.parentExit.catch((e: unknown) => ({
    code: -1,
    stderr: e instanceof Error ? e.message : String(e),
  }));
  return new DomainError(
    'INTERNAL',
    `conmon failed (exit ${code}): ${stderr || 'no pid reported'}`,
  );
}
