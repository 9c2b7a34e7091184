import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LowerView } from './lower-view';
import type { RootfsPlan } from './rootfs';
import { isWhiteout } from './tree-tar';
import { readTreeXattrs } from './xattrs';

/** ChangeKind as the Engine API numbers it: 0 modified, 1 added, 2 deleted. */
export type ChangeKind = 0 | 1 | 2;

/** A change of `GET /containers/{id}/changes` (`docker diff`). */
export interface ContainerChange {
  readonly Path: string;
  readonly Kind: ChangeKind;
}

/** The container side of the comparison: which names may differ from the lowers. */
interface NewSide {
  /** Children of the directory `rel` to compare, sorted; an undefined stat is a whiteout. */
  children(rel: string): Promise<[string, Stats | undefined][]>;
  /** Whether lower children missing from `children(rel)` were deleted (else unchanged). */
  complete(rel: string): boolean;
  abs(rel: string): string;
  /** Whether two regular files with equal metadata may still differ in their bytes. */
  mayDiffer(stat: Stats): boolean;
  capability(rel: string): Buffer | undefined;
}

interface Context {
  readonly side: NewSide;
  readonly lower: LowerView;
  readonly out: ContainerChange[];
}

/**
 * containerChanges lists what a container changed in its root, as dockerd 20.10 reports it (its
 * `ChangesDirs` comparison, which both its vfs and overlay2 drivers answer with; checked against a
 * real dockerd): a name missing from the image is added (1); one whose mode, owner, device, or —
 * for non-directories — size or mtime differ is modified (0); a name of the image the container
 * removed is deleted (2), reported once for a removed directory. A directory holding any change
 * is reported modified before its contents. dockerd's order is Go map order (random per call);
 * here it is fixed: a directory's changed children sorted bytewise, then its deleted ones.
 *
 * Unlike dockerd, two regular files with the same metadata are compared byte for byte when the
 * container may have touched them, so content rewritten with its mtime restored is still seen.
 * Overlay: only the upper directory is walked (whiteouts, opaque directories, copied-up entries),
 * plus the lower listing of opaque directories; equal-metadata files in upper are compared —
 * cost bounded by what the container wrote. Copy: the whole root is walked and compared with the
 * union of the snapshots; a file is only read when its ctime is not older than the copy (the
 * `rootfs.json` record), since nothing else can set ctime — cost: one lstat per file of the image
 * plus a read of each file rewritten with equal size and mtime.
 */
export async function containerChanges(plan: RootfsPlan): Promise<ContainerChange[]> {
  const lower = await LowerView.open(plan.lowerdir);
  const side = plan.mode === 'overlay' ? await overlaySide(plan) : await copySide(plan);
  const ctx: Context = { side, lower, out: [] };
  await addChanges(ctx, '', true, true);
  return ctx.out;
}

async function addChanges(ctx: Context, rel: string, added: boolean, oldIsDir: boolean) {
  const at = ctx.out.length;
  const seen = new Set<string>();
  const deleted: string[] = [];
  for (const [name, stat] of await ctx.side.children(rel)) {
    seen.add(name);
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const old = oldIsDir ? await ctx.lower.stat(childRel) : undefined;
    if (stat === undefined) {
      if (old) deleted.push(childRel);
      continue;
    }
    const kind = old === undefined ? 1 : (await differs(ctx, childRel, stat, old)) ? 0 : undefined;
    if (kind !== undefined) ctx.out.push({ Path: `/${childRel}`, Kind: kind });
    if (stat.isDirectory())
      await addChanges(ctx, childRel, kind !== undefined, old?.stat.isDirectory() ?? false);
  }
  if (oldIsDir && ctx.side.complete(rel)) {
    for (const name of await ctx.lower.list(rel)) {
      if (!seen.has(name)) deleted.push(rel === '' ? name : `${rel}/${name}`);
    }
  }
  deleted.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const path of deleted) ctx.out.push({ Path: `/${path}`, Kind: 2 });
  if (ctx.out.length > at && !added && rel !== '') {
    ctx.out.splice(at, 0, { Path: `/${rel}`, Kind: 0 });
  }
}

/** differs is moby's statDifferent (plus the capability and, where needed, the bytes). */
async function differs(
  ctx: Context,
  rel: string,
  now: Stats,
  old: { stat: Stats; abs: string },
): Promise<boolean> {
  const was = old.stat;
  if (now.mode !== was.mode || now.uid !== was.uid || now.gid !== was.gid) return true;
  if (now.rdev !== was.rdev) return true;
  if (!now.isDirectory() && (now.mtimeMs !== was.mtimeMs || now.size !== was.size)) return true;
  // The snapshots carry no xattrs (applyTar does not apply them), so any capability is new.
  if (ctx.side.capability(rel) !== undefined) return true;
  if (!now.isFile() || !ctx.side.mayDiffer(now)) return false;
  return !(await sameBytes(ctx.side.abs(rel), old.abs));
}

async function overlaySide(plan: RootfsPlan): Promise<NewSide> {
  const xattrs = await readTreeXattrs(plan.upperdir);
  return {
    children: (rel) => listWithStats(join(plan.upperdir, rel), true),
    complete: (rel) => xattrs.opaque.has(rel),
    abs: (rel) => join(plan.upperdir, rel),
    mayDiffer: () => true,
    capability: (rel) => xattrs.capability.get(rel),
  };
}

async function copySide(plan: RootfsPlan): Promise<NewSide> {
  const record = await lstat(join(dirname(plan.target), 'rootfs.json')).catch(() => undefined);
  // Without the record there is no time to trust: every equal-looking file is read.
  const copiedAt = record?.ctimeMs ?? -Infinity;
  return {
    children: (rel) => listWithStats(join(plan.target, rel), false),
    complete: () => true,
    abs: (rel) => join(plan.target, rel),
    mayDiffer: (stat) => stat.ctimeMs >= copiedAt,
    capability: () => undefined,
  };
}

async function listWithStats(
  dir: string,
  whiteouts: boolean,
): Promise<[string, Stats | undefined][]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const out: [string, Stats | undefined][] = [];
  for (const name of names) {
    const stat = await lstat(join(dir, name)).catch(() => undefined);
    if (stat === undefined) continue;
    out.push([name, whiteouts && isWhiteout(stat) ? undefined : stat]);
  }
  return out;
}

/** sameBytes compares two regular files chunk by chunk (never following a symlink). */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const [fa, fb] = await Promise.all([open(a, flags), open(b, flags)]);
  try {
    return await sameStreams(fa, fb);
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}

async function sameStreams(fa: FileHandle, fb: FileHandle): Promise<boolean> {
  const size = 256 * 1024;
  const [ba, bb] = [Buffer.alloc(size), Buffer.alloc(size)];
  for (;;) {
    const [ra, rb] = await Promise.all([fa.read(ba, 0, size, null), fb.read(bb, 0, size, null)]);
    if (ra.bytesRead !== rb.bytesRead) return false;
    if (ra.bytesRead === 0) return true;
    if (!ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
  }
}
