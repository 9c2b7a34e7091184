import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';

/** What the driver remembers of a container so a restarted process can still reach it. */
export interface ContainerRecord {
  id: string;
  bundle: string;
  logPath: string;
  exitDir: string;
  tty: boolean;
  conmonPid: number;
}

/** RecordStore keeps one JSON file per container under `<root>/records`, written atomically. */
export class RecordStore {
  constructor(private readonly root: string) {}

  private path(id: string): string {
    return join(this.root, 'records', `${id}.json`);
  }

  async put(record: ContainerRecord): Promise<void> {
    await mkdir(join(this.root, 'records'), { recursive: true });
    const tmp = `${this.path(record.id)}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(record));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path(record.id));
  }

  async get(id: string): Promise<ContainerRecord> {
    const text = await readFile(this.path(id), 'utf8').catch(() => undefined);
    if (text === undefined) throw DomainError.notFound(`No such container: ${id}`);
    return JSON.parse(text) as ContainerRecord;
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }
}

/** alive tells whether a process exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/** checkId refuses ids that could name a path outside our directories. */
export function checkId(id: string): void {
  if (!ID.test(id)) throw DomainError.invalidArgument(`invalid container id ${JSON.stringify(id)}`);
}
