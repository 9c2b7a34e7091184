import { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Children and temp dirs still alive when the process ends (a test failed before its afterAll,
// or Jest tore the worker down) are killed/removed by the exit hook, so no registry outlives a run.
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let hookInstalled = false;

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** trackChild registers a spawned child so the exit hook SIGKILLs it if nobody stopped it. */
export function trackChild(child: ChildProcess): void {
  installExitHook();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** makeTempDir creates a fresh directory under the OS temp dir, removed at process exit at the latest. */
export async function makeTempDir(prefix: string): Promise<string> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), `stevedore-${prefix}-`));
  liveDirs.add(dir);
  return dir;
}

/** removeTempDir deletes a directory made by {@link makeTempDir} now instead of at exit. */
export async function removeTempDir(dir: string): Promise<void> {
  liveDirs.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/** stopChild sends SIGTERM, escalates to SIGKILL after `graceMs`, and resolves once the child exited. */
export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
