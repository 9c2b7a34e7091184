import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { alive } from './records';

/** readExitFile reads conmon's `<exitDir>/<id>`: the exit status, or undefined while running. */
export async function readExitFile(exitDir: string, id: string): Promise<number | undefined> {
  const text = await readFile(join(exitDir, id), 'utf8').catch(() => undefined);
  if (text === undefined || text.trim() === '') return undefined;
  return Number.parseInt(text.trim(), 10);
}

/** watchDir calls `fn` on changes in `dir`; undefined where the filesystem cannot be watched. */
function watchDir(dir: string, fn: () => void): FSWatcher | undefined {
  try {
    return watch(dir, fn);
  } catch {
    return undefined;
  }
}

/** checkExit resolves the status, or, when conmon is gone without one, the loss. */
async function checkExit(exitDir: string, id: string, conmonPid: number) {
  const code = await readExitFile(exitDir, id);
  if (code !== undefined || alive(conmonPid)) return code;
  // conmon writes the file before exiting: read once more to close that window.
  const last = await readExitFile(exitDir, id);
  if (last !== undefined) return last;
  throw new DomainError('UNAVAILABLE', `the monitor of ${id} is gone; its exit status is lost`);
}

/**
 * waitExitFile resolves with the exit status once conmon writes the exit file, watching the
 * directory and polling (a watch can miss events, and works nowhere on some filesystems).
 * If conmon itself is gone without writing it, the status is lost: UNAVAILABLE.
 */
export function waitExitFile(
  exitDir: string,
  id: string,
  conmonPid: number,
  signal?: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const check = () =>
      checkExit(exitDir, id, conmonPid).then(
        (code) => code !== undefined && finish(() => resolve(code)),
        (err: unknown) => finish(() => reject(err)),
      );
    const onAbort = () => finish(() => reject(signal?.reason ?? new Error('aborted')));
    const watcher = watchDir(exitDir, () => void check());
    const timer = setInterval(() => void check(), 250);
    signal?.addEventListener('abort', onAbort);
    void check();
  });
}
