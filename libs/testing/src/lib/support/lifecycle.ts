import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Children and temp dirs still alive when the process ends (a test failed before its afterAll)
// are killed/removed by the exit hook. Under Jest the test sees a sandboxed `process` whose 'exit'
// never fires, so two more backstops exist: registries run with a parent-death signal (see
// `withParentDeathSignal`), and a detached watchdog shell removes listed temp dirs once we are gone.
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let installed = false;
let watchdogList: string | undefined;

const WATCHDOG = [
  'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
  '[ -f "$2" ] || exit 0',
  'while IFS= read -r d; do case "$d" in "$3"/stevedore-*) rm -rf -- "$d";; esac; done < "$2"',
  'rm -f -- "$2"',
].join('\n');

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const child of liveChildren) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
    if (watchdogList) rmSync(watchdogList, { force: true });
  });
  watchdogList = join(
    tmpdir(),
    `stevedore-cleanup-${process.pid}-${randomBytes(4).toString('hex')}.list`,
  );
  const watchdog = spawn(
    '/bin/sh',
    ['-c', WATCHDOG, 'stevedore-watchdog', String(process.pid), watchdogList, tmpdir()],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  watchdog.unref();
}

function syncWatchdogList(): void {
  if (watchdogList) writeFileSync(watchdogList, [...liveDirs].map((d) => `${d}\n`).join(''));
}

/** trackChild registers a spawned child so the exit hook SIGKILLs it if nobody stopped it. */
export function trackChild(child: ChildProcess): void {
  install();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/**
 * withParentDeathSignal prefixes a command with `setpriv --pdeathsig KILL` (util-linux) so the
 * kernel kills the child when this process dies, however it dies.
 */
export function withParentDeathSignal(file: string, args: string[]): [string, string[]] {
  const setpriv = '/usr/bin/setpriv';
  return existsSync(setpriv)
    ? [setpriv, ['--pdeathsig', 'KILL', '--', file, ...args]]
    : [file, args];
}

/** makeTempDir creates a fresh directory under the OS temp dir, removed at process end at the latest. */
export async function makeTempDir(prefix: string): Promise<string> {
  install();
  const dir = await mkdtemp(join(tmpdir(), `stevedore-${prefix}-`));
  liveDirs.add(dir);
  syncWatchdogList();
  return dir;
}

/** removeTempDir deletes a directory made by {@link makeTempDir} now instead of at exit. */
export async function removeTempDir(dir: string): Promise<void> {
  liveDirs.delete(dir);
  syncWatchdogList();
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
