import { lstat, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { containerChanges } from './changes';
import type { RootfsPlan } from './rootfs';
import { tarEnd, tarHeader } from './tar-writer';
import { TreeTar, lstatOrUndefined } from './tree-tar';
import { WHITEOUT_PREFIX } from './whiteouts';
import { readTreeXattrs } from './xattrs';

/**
 * layerTar streams a container's changes as an uncompressed OCI/Docker layer tar — the layer of
 * `docker commit` (the caller gzips and hashes it into the blob store).
 *
 * Overlay: the upper directory as moby's overlay2 `Diff` writes it — every entry in
 * `filepath.Walk` order, a whiteout device becomes an empty `.wh.<name>` (mode 0600), an opaque
 * directory is followed by `<dir>/.wh..wh..opq`. Copy: moby's naive diff (`ExportChanges`) — the
 * entries of {@link containerChanges} sorted by path, one entry each (a directory's unchanged
 * contents are not repeated), a deleted name as `.wh.<name>`. Both keep owners, modes, whole-second
 * mtimes, symlinks, hardlinks among the written entries and `security.capability`; names that do
 * not fit ustar get PAX records. Errors (a file that changed underneath) end the stream with an
 * error, so a commit never stores a truncated layer.
 */
export function layerTar(plan: RootfsPlan): Readable {
  return Readable.from(plan.mode === 'overlay' ? overlayLayer(plan) : copyLayer(plan), {
    objectMode: false,
  });
}

async function* overlayLayer(plan: RootfsPlan): AsyncGenerator<Buffer> {
  const upper = plan.upperdir;
  const xattrs = await readTreeXattrs(upper);
  const tar = new TreeTar({ scope: await realpath(upper), xattrs, overlayWhiteouts: true });
  yield* tar.walk(upper, await lstat(upper), false, (rel) => rel);
  yield tarEnd();
}

async function* copyLayer(plan: RootfsPlan): AsyncGenerator<Buffer> {
  const root = plan.target;
  const changes = await containerChanges(plan);
  // moby's changesByPath: plain string order of the paths, so a parent precedes its children.
  const sorted = [...changes].sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
  const xattrs = await readTreeXattrs(root);
  const tar = new TreeTar({ scope: await realpath(root), xattrs });
  for (const change of sorted) {
    const rel = change.Path.slice(1);
    if (change.Kind === 2) {
      yield tarHeader(deletion(rel));
      continue;
    }
    const abs = join(root, rel);
    const stat = await lstatOrUndefined(abs);
    if (stat !== undefined) yield* tar.entry(abs, rel, rel, stat);
  }
  yield tarEnd();
}

/** deletion is the whiteout of a deleted name; epoch mtime keeps equal diffs byte-identical. */
function deletion(rel: string) {
  const dir = posix.dirname(rel);
  const name = `${WHITEOUT_PREFIX}${posix.basename(rel)}`;
  return {
    name: dir === '.' ? name : `${dir}/${name}`,
    type: 'file' as const,
    mode: 0o600,
    uid: 0,
    gid: 0,
    size: 0,
    mtime: 0,
  };
}
