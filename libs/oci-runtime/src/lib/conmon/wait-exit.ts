import { watch } from 'node:fs';
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

/**
 * waitExitFile resolves with the exit status once conmon writes the exit file, watching the
 * directory and polling (a watch can miss a rename, and works nowhere on some filesystems).
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
    const watcher = (() => {
      try {
        return watch(exitDir, () => void check());
      } catch {
        return undefined;
      }
    })();
    const timer = setInterval(() => void check(), 250);
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(signal?.reason ?? new Error('aborted')));
    signal?.addEventListener('abort', onAbort);
    const check = async () => {
      const code = await readExitFile(exitDir, id);
      if (code !== undefined) return finish(() => resolve(code));
      if (alive(conmonPid)) return;
      // conmon writes the file before exiting: read once more to close that window.
      const last = await readExitFile(exitDir, id);
      if (last !== undefined) finish(() => resolve(last));
      else
        finish(() =>
          reject(
            new DomainError('UNAVAILABLE', `the monitor of ${id} is gone; its exit status is lost`),
          ),
        );
    };
    void check();
  });
}
