import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineIdentityV1 } from '@stevedore/contracts';

/** ENGINE_DATA_ROOT is the token of the directory the engine id lives in (the data root). */
export const ENGINE_DATA_ROOT = Symbol('EngineDataRoot');

/** The file dockerd 23+ keeps its UUID in, under its data root. */
const ID_FILE = 'engine-id';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * EngineIdentityUseCase is `docker info`'s `ID`: read from `<data root>/engine-id`, created once
 * with a random UUID. The file is published with a hard link, which fails when it exists, so two
 * replicas starting on one shared data root agree on a single id.
 */
@Injectable()
export class EngineIdentityUseCase {
  private cached?: string;

  constructor(@Inject(ENGINE_DATA_ROOT) private readonly dataRoot: string) {}

  async execute(): Promise<EngineIdentityV1> {
    this.cached ??= (await this.read()) ?? (await this.create());
    return { id: this.cached, dataRoot: this.dataRoot };
  }

  private async read(): Promise<string | undefined> {
    try {
      const text = (await readFile(join(this.dataRoot, ID_FILE), 'utf8')).trim();
      return UUID_RE.test(text) ? text : undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private async create(): Promise<string> {
    await mkdir(this.dataRoot, { recursive: true });
    const id = randomUUID();
    const temp = join(this.dataRoot, `.${ID_FILE}.${id}`);
    await writeFile(temp, `${id}\n`, { mode: 0o644 });
    try {
      await link(temp, join(this.dataRoot, ID_FILE));
      return id;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another replica won the race (or left an unreadable file, which we do not overwrite).
      const winner = await this.read();
      if (!winner) throw err;
      return winner;
    } finally {
      await rm(temp, { force: true });
    }
  }
}
