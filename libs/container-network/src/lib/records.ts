import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import type { CniNetworkList } from './cni';
import type { NetworkAttachment } from './types';

/**
 * AttachmentRecord is what detach needs after a restart. It is written twice: `pending` before any
 * namespace or rule exists (so a crash mid-attach leaves something detach can undo) and `attached`
 * with the CNI result once ADD succeeded. The conflist is kept so DEL runs with the exact config ADD
 * had, even when the service was restarted with other options.
 */
export interface AttachmentRecord {
  readonly version: 1;
  readonly containerId: string;
  readonly state: 'pending' | 'attached';
  readonly attachment: NetworkAttachment;
  readonly cni?: {
    readonly list: CniNetworkList;
    readonly cniPath: string;
    readonly ifName: string;
    readonly result?: unknown;
  };
}

/** RecordStore keeps one JSON file per container under `<stateDir>/containers`. */
export class RecordStore {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'containers');
  }

  /** get returns the record of a container, or undefined when it has none. */
  async get(containerId: string): Promise<AttachmentRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.path(containerId), 'utf8')) as AttachmentRecord;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw DomainError.internal(
        `cannot read the network record of ${containerId}: ${(e as Error).message}`,
      );
    }
  }

  /** put replaces a record atomically: temp file, fsync, rename, fsync of the directory. */
  async put(record: AttachmentRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.path(record.containerId);
    const tmp = `${target}.tmp-${process.pid}`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(record, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
    await this.syncDir();
  }

  /** remove deletes a record; a missing one is fine. */
  async remove(containerId: string): Promise<void> {
    await unlink(this.path(containerId)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await this.syncDir().catch(() => undefined);
  }

  /** list returns every record; unreadable files are skipped, not fatal, so one bad file blocks nothing. */
  async list(): Promise<AttachmentRecord[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const records: AttachmentRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const rec = await this.get(name.slice(0, -'.json'.length)).catch(() => undefined);
      if (rec) records.push(rec);
    }
    return records;
  }

  private path(containerId: string): string {
    return join(this.dir, `${containerId}.json`);
  }

  private async syncDir(): Promise<void> {
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
