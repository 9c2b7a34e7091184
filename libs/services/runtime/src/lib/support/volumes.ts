import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BindSpec } from '../config/host-config';
import type { MountRecord } from '../store/container-record';
import { RUNTIME_DATA_ROOT } from './tokens';

/**
 * Volumes makes the directories behind `-v`: named volumes under `<dataRoot>/volumes/<name>/_data`
 * (dockerd's local driver layout), anonymous ones for the image's VOLUMEs no bind covers, and
 * missing bind sources, which dockerd's `Binds` creates too.
 */
@Injectable()
export class Volumes {
  private readonly root: string;

  constructor(@Inject(RUNTIME_DATA_ROOT) dataRoot: string) {
    this.root = join(dataRoot, 'volumes');
  }

  async mountsFor(
    binds: readonly BindSpec[],
    imageVolumes: Record<string, object> | null,
  ): Promise<MountRecord[]> {
    const mounts: MountRecord[] = [];
    for (const bind of binds) mounts.push(await this.mountOf(bind));
    for (const destination of Object.keys(imageVolumes ?? {})) {
      if (mounts.some((m) => m.destination === destination)) continue;
      const name = randomBytes(32).toString('hex');
      const source = await this.ensure(name);
      mounts.push({ type: 'volume', name, source, destination, readonly: false, anonymous: true });
    }
    return mounts;
  }

  /** removeAnonymous deletes the anonymous volumes of a removed container (`docker rm -v`). */
  async removeAnonymous(mounts: readonly MountRecord[]): Promise<void> {
    for (const m of mounts) {
      if (m.anonymous && m.name)
        await rm(join(this.root, m.name), { recursive: true, force: true });
    }
  }

  private async mountOf(bind: BindSpec): Promise<MountRecord> {
    if (bind.type === 'bind') {
      await mkdir(bind.source, { recursive: true });
      return { ...bind };
    }
    const source = await this.ensure(bind.source);
    return {
      type: 'volume',
      name: bind.source,
      source,
      destination: bind.destination,
      readonly: bind.readonly,
    };
  }

  private async ensure(name: string): Promise<string> {
    const dir = join(this.root, name, '_data');
    await mkdir(dir, { recursive: true, mode: 0o755 });
    return dir;
  }
}
