import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Injection token of the directory under which every exporter process keeps its spool files. */
export const SPOOL_ROOT = Symbol('SpoolRoot');

/**
 * SpoolDirectory is where this process spools what `docker import` and `docker load` cannot
 * stream straight into the store: `<root>/<pid>`, so the owner of every spool file is known. At
 * start-up it removes its own (a previous process with the same pid, as in a container) and every
 * directory of a process that is gone — what a crash or a kill left. Each request removes its own
 * spool on success, failure and disconnect alike.
 */
@Injectable()
export class SpoolDirectory implements OnModuleInit {
  readonly path: string;

  constructor(@Inject(SPOOL_ROOT) private readonly root: string) {
    this.path = join(root, String(process.pid));
  }

  async onModuleInit(): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    for (const name of names.filter((n) => /^\d+$/.test(n) && !isAlive(Number(n), process.pid)))
      await rm(join(this.root, name), { recursive: true, force: true });
    await mkdir(this.path, { recursive: true });
  }
}

/** isAlive tells whether process `pid` runs (and is not this one, whose spool is from a predecessor). */
function isAlive(pid: number, self: number): boolean {
  if (pid === self) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
