import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import type { ContainerRecord } from './container-record';

const ID = /^[a-f0-9]{64}$/;
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * ContainerStore keeps container records under `<dataRoot>/containers/<id>/`, one JSON file
 * each, written atomically (temp file, fsync, rename) so a crash leaves the old record or the
 * new one. All records are held in memory too: lookups by name and ID prefix are map scans.
 */
export class ContainerStore {
  readonly root: string;
  private readonly records = new Map<string, ContainerRecord>();

  constructor(dataRoot: string) {
    this.root = join(dataRoot, 'containers');
  }

  /** load reads every record (start-up); a directory without a readable record is skipped. */
  async load(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const id of await readdir(this.root)) {
      if (!ID.test(id)) continue;
      const raw = await readFile(this.recordPath(id), 'utf8').catch(() => undefined);
      if (raw !== undefined) this.records.set(id, JSON.parse(raw) as ContainerRecord);
    }
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  all(): ContainerRecord[] {
    return [...this.records.values()];
  }

  /** newId is a fresh 64-hex container ID whose 12-character short form is unused. */
  newId(): string {
    for (;;) {
      const id = randomBytes(32).toString('hex');
      if (!this.all().some((r) => r.id.startsWith(id.slice(0, 12)))) return id;
    }
  }

  /** find resolves a container as dockerd does: full ID, exact name, then a unique ID prefix. */
  find(ref: string): ContainerRecord | undefined {
    const key = ref.startsWith('/') ? ref.slice(1) : ref;
    const exact = this.records.get(key);
    if (exact) return exact;
    const named = this.all().find((r) => r.name === key);
    if (named) return named;
    const matches = this.all().filter((r) => r.id.startsWith(key));
    if (matches.length > 1)
      throw DomainError.notFound(`Multiple IDs found with provided prefix: ${key}`);
    return matches[0];
  }

  /** get is {@link find} or Docker's 404. */
  get(ref: string): ContainerRecord {
    const found = this.find(ref);
    if (!found) throw DomainError.notFound(`No such container: ${ref}`);
    return found;
  }

  /** checkName refuses an invalid name or one in use, with dockerd's messages. */
  checkName(name: string, exceptId?: string): void {
    if (!NAME.test(name)) {
      throw DomainError.invalidArgument(
        `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
      );
    }
    const owner = this.all().find((r) => r.name === name && r.id !== exceptId);
    if (owner) {
      throw DomainError.conflict(
        `Conflict. The container name "/${name}" is already in use by container "${owner.id}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
  }

  /** save writes the record durably, then makes it the one lookups see. */
  async save(record: ContainerRecord): Promise<void> {
    await mkdir(this.dir(record.id), { recursive: true });
    const tmp = `${this.recordPath(record.id)}.tmp`;
    const file = await open(tmp, 'w', 0o600);
    try {
      await file.writeFile(JSON.stringify(record));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.recordPath(record.id));
    this.records.set(record.id, record);
  }

  /** remove forgets the record and deletes the container's directory. */
  async remove(id: string): Promise<void> {
    this.records.delete(id);
    await rm(this.dir(id), { recursive: true, force: true });
  }

  private recordPath(id: string): string {
    return join(this.dir(id), 'container.json');
  }
}
