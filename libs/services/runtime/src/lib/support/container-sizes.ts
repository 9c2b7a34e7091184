import { Injectable } from '@nestjs/common';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Digest } from '@stevedore/domain';
import type { ContainerRecord } from '../store/container-record';
import { ContainerStore } from '../store/container-store';
import { RuntimeSnapshots } from './runtime-snapshots';

/**
 * ContainerSizes computes `SizeRw` (bytes of files the container wrote: its overlay upper
 * directory, or for a copied root the whole copy less its image) and `SizeRootFs` (the image's
 * unpacked size plus SizeRw), as `docker ps -s` shows them.
 */
@Injectable()
export class ContainerSizes {
  constructor(
    private readonly store: ContainerStore,
    private readonly snapshots: RuntimeSnapshots,
  ) {}

  async of(record: ContainerRecord): Promise<{ SizeRw: number; SizeRootFs: number }> {
    const dir = this.store.dir(record.id);
    const image = await this.imageSize(record);
    if (record.rootfsMode === 'overlay') {
      const rw = await treeSize(join(dir, 'upper'));
      return { SizeRw: rw, SizeRootFs: image + rw };
    }
    const all = await treeSize(join(dir, 'rootfs'));
    return { SizeRw: Math.max(0, all - image), SizeRootFs: all };
  }

  private async imageSize(record: ContainerRecord): Promise<number> {
    let total = 0;
    for (const id of record.diffIds) {
      const snapshot = await this.snapshots.snapshotter.stat(Digest.parse(id));
      if (snapshot) total += await treeSize(snapshot.tree);
    }
    return total;
  }
}

/** treeSize sums the sizes of regular files and symlinks under `root` (hard links counted once). */
export async function treeSize(root: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      const st = await lstat(path).catch(() => undefined);
      if (!st || (!st.isFile() && !st.isSymbolicLink())) continue;
      const key = `${st.dev}:${st.ino}`;
      if (st.nlink > 1 && seen.has(key)) continue;
      seen.add(key);
      total += st.size;
    }
  };
  await walk(root);
  return total;
}
