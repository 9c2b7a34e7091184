import type { Stats } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { SnapshotMeta } from './layout';
import { isWhiteout, lstatOrUndefined } from './tree-tar';

/** A name found in the union of the lower snapshots: its stat, and where it lives. */
export interface LowerEntry {
  readonly stat: Stats;
  readonly abs: string;
}

/**
 * LowerView reads the image's snapshots (an overlay `lowerdir`, top first) as overlayfs merges
 * them, without a mount: a 0/0 character device hides the name in the layers below, an opaque
 * directory (from the snapshot's meta.json) hides the directories below it, and a non-directory
 * hides a directory beneath. The snapshots never change, so what was looked up is cached.
 */
export class LowerView {
  private readonly dirs = new Map<string, Promise<number[]>>();

  private constructor(
    private readonly layers: readonly string[],
    private readonly opaque: readonly ReadonlySet<string>[],
  ) {}

  static async open(lowerdir: readonly string[]): Promise<LowerView> {
    const opaque = await Promise.all(lowerdir.map(readOpaque));
    return new LowerView(lowerdir, opaque);
  }

  /** stat finds `rel` (relative, `''` the root) in the union; undefined when absent. */
  async stat(rel: string): Promise<LowerEntry | undefined> {
    if (rel === '') {
      const top = (await this.dirLayers(''))[0];
      const abs = top === undefined ? undefined : this.layers[top];
      return abs === undefined ? undefined : { abs, stat: (await lstatOrUndefined(abs)) as Stats };
    }
    for (const i of await this.dirLayers(parentOf(rel))) {
      const abs = join(this.layers[i] as string, rel);
      const stat = await lstatOrUndefined(abs);
      if (stat === undefined) continue;
      return isWhiteout(stat) ? undefined : { abs, stat };
    }
    return undefined;
  }

  /** list names the children of the directory `rel` in the union, sorted bytewise. */
  async list(rel: string): Promise<string[]> {
    const state = new Map<string, boolean>();
    for (const i of await this.dirLayers(rel)) {
      const dir = join(this.layers[i] as string, rel);
      for (const dirent of await readdir(dir, { withFileTypes: true })) {
        if (state.has(dirent.name)) continue;
        const gone =
          dirent.isCharacterDevice() &&
          isWhiteout((await lstatOrUndefined(join(dir, dirent.name))) as Stats);
        state.set(dirent.name, !gone);
      }
    }
    const names = [...state].filter(([, visible]) => visible).map(([name]) => name);
    return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /** dirLayers lists the layers (top first) whose `rel` is part of the merged directory. */
  private dirLayers(rel: string): Promise<number[]> {
    let found = this.dirs.get(rel);
    if (found === undefined) {
      found = this.computeDirLayers(rel);
      this.dirs.set(rel, found);
    }
    return found;
  }

  private async computeDirLayers(rel: string): Promise<number[]> {
    const candidates =
      rel === '' ? this.layers.map((_, i) => i) : await this.dirLayers(parentOf(rel));
    const out: number[] = [];
    for (const i of candidates) {
      const stat = await lstatOrUndefined(join(this.layers[i] as string, rel));
      if (stat === undefined) continue;
      if (!stat.isDirectory()) break; // a whiteout or a file hides the directories below
      out.push(i);
      if (this.opaque[i]?.has(rel)) break;
    }
    return out;
  }
}

function parentOf(rel: string): string {
  const parent = posix.dirname(rel);
  return parent === '.' ? '' : parent;
}

/** readOpaque reads a snapshot's opaque directories; a lowerdir that is no snapshot has none. */
async function readOpaque(tree: string): Promise<ReadonlySet<string>> {
  const raw = await readFile(join(dirname(tree), 'meta.json'), 'utf8').catch(() => undefined);
  if (raw === undefined) return new Set();
  return new Set((JSON.parse(raw) as SnapshotMeta).opaque);
}
