import { createReadStream } from 'node:fs';
import { lstat, mkdir, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pack, type Pack } from 'tar-stream';
import { extractToRoot, lookupUserInRoot, resolveInRoot, type Owner } from '@stevedore/snapshots';
import { BuildError } from '../build-error';
import { decompressed, peek } from '../context/decompress';
import { isTar } from '../context/read-context';
import { type CopySource, type SourceTree, walk } from './copy-sources';
import { ROOT_OWNER, mkdirAllInRoot } from './dest-dirs';

/** CopyPlan is one COPY/ADD step's work on a container root. */
export interface CopyPlan {
  tree: SourceTree;
  sources: readonly CopySource[];
  /** Absolute destination, a trailing `/` kept (it means "into this directory"). */
  dest: string;
  chown?: string;
  /** `--chmod`: the mode every copied file and directory gets instead of its own. */
  chmod?: number;
  cmd: string;
  /** ADD: a local tar (plain, gzip, bzip2, xz) is unpacked into the destination, not copied. */
  extractArchives?: boolean;
}

/**
 * copyIntoRoot is dockerd's `performCopy` on a container root: each source (a directory's
 * contents, or a file) lands at the destination with its mode and mtime, owned by `--chown`'s
 * user (looked up in the root) or root. The files go in as a tar through the hardened extractor,
 * so no link in the image can lead a write out of the root.
 */
export async function copyIntoRoot(root: string, plan: CopyPlan): Promise<void> {
  if (plan.sources.length > 1 && !plan.dest.endsWith('/'))
    throw new BuildError(
      `When using ${plan.cmd} with more than one source file, the destination must be a directory and end with a /`,
    );
  const user = plan.chown ? await lookupUserInRoot(root, plan.chown) : { uid: 0, gid: 0 };
  const owner: EntryOwner = plan.chmod === undefined ? user : { ...user, mode: plan.chmod };
  const destIsDir = plan.dest.endsWith('/') || (await isDirIn(root, plan.dest));
  const archives = plan.extractArchives ? await archivesOf(plan) : new Set<CopySource>();
  await makeDestDirs(root, plan, owner, destIsDir, archives);
  await copyFiles(root, plan, owner, destIsDir, archives);
  for (const archive of archives) {
    // dockerd unpacks an archive into the destination as a directory, its own owners kept.
    const dir = await resolveInRoot(root, plan.dest);
    await mkdir(dir, { recursive: true, mode: 0o755 });
    const body = await decompressed(createReadStream(posix.join(plan.tree.root, archive.rel)));
    await extractToRoot(root, plan.dest, body);
  }
}

async function archivesOf(plan: CopyPlan): Promise<Set<CopySource>> {
  const out = new Set<CopySource>();
  for (const source of plan.sources) {
    if (source.isDir) continue;
    const stream = await decompressed(createReadStream(posix.join(plan.tree.root, source.rel)));
    const { head, stream: rest } = await peek(stream, 512).catch(() => ({
      head: Buffer.alloc(0),
      stream,
    }));
    rest.destroy();
    if (isTar(head)) out.add(source);
  }
  return out;
}

/**
 * makeDestDirs makes the directories the sources land in, as dockerd's `copyDirectory` and
 * `copyFile` do before copying: a directory source's destination is made 0755 by root (parents
 * too) and then given to the `--chown` owner; a file's parent directories are made 0755 and owned
 * by that owner. A destination that exists keeps its mode and owner.
 */
async function makeDestDirs(
  root: string,
  plan: CopyPlan,
  owner: Owner,
  destIsDir: boolean,
  archives: ReadonlySet<CopySource>,
): Promise<void> {
  for (const source of plan.sources) {
    if (archives.has(source)) continue;
    if (source.isDir) await mkdirAllInRoot(root, plan.dest, ROOT_OWNER, owner);
    else await mkdirAllInRoot(root, destIsDir ? plan.dest : posix.dirname(plan.dest), owner);
  }
}

async function copyFiles(
  root: string,
  plan: CopyPlan,
  owner: EntryOwner,
  destIsDir: boolean,
  archives: ReadonlySet<CopySource>,
): Promise<void> {
  const tar = pack();
  const writing = extractToRoot(root, '/', Readable.from(tar));
  try {
    for (const source of plan.sources) {
      if (archives.has(source)) continue;
      const target = source.isDir
        ? plan.dest
        : destIsDir
          ? posix.join(plan.dest, posix.basename(source.name))
          : plan.dest;
      await addSource(tar, plan.tree, source, target, owner);
    }
    tar.finalize();
  } catch (err) {
    tar.destroy(err as Error);
    await writing.catch(() => undefined);
    throw err;
  }
  await writing;
}

async function isDirIn(root: string, path: string): Promise<boolean> {
  const full = await resolveInRoot(root, path);
  return (await lstat(full).catch(() => undefined))?.isDirectory() ?? false;
}

/** EntryOwner is who owns the copied entries and, with `--chmod`, the mode they all get. */
type EntryOwner = Owner & { mode?: number };

async function addSource(
  tar: Pack,
  tree: SourceTree,
  s: CopySource,
  target: string,
  o: EntryOwner,
) {
  const name = posix.normalize(target).replace(/^\/+/, '').replace(/\/+$/, '');
  if (!s.isDir) return addEntry(tar, posix.join(tree.root, s.rel), name, o, true);
  // The directory itself is not copied (moby's TarUntar leaves out `.`): makeDestDirs made it.
  for (const sub of await walk(tree, s.rel)) {
    const rest = s.rel === '' ? sub : sub.slice(s.rel.length + 1);
    await addEntry(tar, posix.join(tree.root, sub), posix.join(name, rest), o, false);
  }
}

async function addEntry(tar: Pack, path: string, name: string, o: EntryOwner, follow: boolean) {
  const stat = await lstat(path);
  const mode = o.mode ?? stat.mode & 0o7777;
  const base = { name, mode, mtime: stat.mtime, uid: o.uid, gid: o.gid };
  if (stat.isSymbolicLink() && !follow) {
    await entry(tar, { ...base, type: 'symlink', linkname: await readlink(path) });
  } else if (stat.isDirectory()) {
    await entry(tar, { ...base, type: 'directory' });
  } else if (stat.isFile() || stat.isSymbolicLink()) {
    const real = stat.isSymbolicLink() ? await lstat(path) : stat;
    await new Promise<void>((resolve, reject) => {
      const sink = tar.entry({ ...base, type: 'file', size: real.size }, (err) =>
        err ? reject(err) : resolve(),
      );
      createReadStream(path).once('error', reject).pipe(sink);
    });
  }
}

function entry(tar: Pack, header: Parameters<Pack['entry']>[0]): Promise<void> {
  return new Promise((resolve, reject) =>
    tar.entry(header, (err) => (err ? reject(err) : resolve())),
  );
}
