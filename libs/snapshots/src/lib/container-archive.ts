import type { Stats } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { type PathStat, goBase, resolvePath, statInRoot } from './in-root';
import { tarEnd } from './tar-writer';
import { TreeTar } from './tree-tar';
import { readTreeXattrs } from './xattrs';

/** ContainerArchive is what `GET /containers/{id}/archive` answers: the stat header and the tar. */
export interface ContainerArchive {
  readonly stat: PathStat;
  readonly tar: Readable;
}

/**
 * archiveFromRoot is `GET /containers/{id}/archive?path=` (`docker cp CONTAINER:path -`), as moby's
 * `containerArchivePath`: the path's directory is resolved inside the root, its last element is
 * not followed unless the path ends in `/` or `/.`, and the entries are rooted at the path's base
 * name (`d/...`; `./...` for `d/.`; `/...` for `/`). A missing path is NOT_FOUND before any byte
 * is sent. Reads never leave the root, even through links a running container swaps in.
 */
export async function archiveFromRoot(
  root: string,
  path: string,
  container = '',
): Promise<ContainerArchive> {
  const stat = await statInRoot(root, path, container);
  const { absPath, resolved } = await resolvePath(root, path);
  const top = posix.normalize(resolved).replace(/(.)\/+$/, '$1');
  const topStat = await lstat(top);
  const base = goBase(absPath);
  const prefix = base === '/' ? '' : base;
  const name = (rel: string): string => (rel === '' ? prefix : `${prefix}/${rel}`);
  const tar = Readable.from(walkTop(root, top, topStat, name), { objectMode: false });
  return { stat, tar };
}

async function* walkTop(
  root: string,
  top: string,
  stat: Stats,
  name: (rel: string) => string,
): AsyncGenerator<Buffer> {
  // The xattr walker would follow a symlink given as its top: only trees and files are read.
  const readable = stat.isDirectory() || stat.isFile();
  const xattrs = readable ? await readTreeXattrs(top) : undefined;
  const tar = new TreeTar({ scope: await realpath(root), xattrs });
  yield* tar.walk(top, stat, true, name);
  yield tarEnd();
}

/**
 * exportRoot is `GET /containers/{id}/export` (`docker export`): the whole merged root as moby's
 * `TarWithOptions(rootfs)` writes it — every entry (nothing excluded: `/proc`, `/sys` and `/dev`
 * are whatever the root holds, empty mount points when the container is stopped), names relative
 * without a `./` entry for the root, `security.capability` kept.
 */
export function exportRoot(root: string): Readable {
  async function* all(): AsyncGenerator<Buffer> {
    const real = await realpath(root);
    const tar = new TreeTar({ scope: real, xattrs: await readTreeXattrs(real) });
    yield* tar.walk(real, await lstat(real), false, (rel) => rel);
    yield tarEnd();
  }
  return Readable.from(all(), { objectMode: false });
}
