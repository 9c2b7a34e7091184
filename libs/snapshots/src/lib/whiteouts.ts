import { DomainError } from '@stevedore/domain';
import { isRoot, run } from './exec';

/** OCI whiteout prefixes (image-spec layer.md): `.wh.<name>` deletes, `.wh..wh..opq` hides the lower dir. */
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/** The xattr overlayfs reads to treat a directory as opaque. */
const OPAQUE_XATTR = 'trusted.overlay.opaque';

/**
 * makeWhiteout creates overlayfs's whiteout for a deleted name: a 0/0 character device. mknod
 * needs root (CAP_MKNOD); without it there is no overlay whiteout to make, so the layer is refused
 * with a clear error rather than unpacked wrong.
 */
export async function makeWhiteout(path: string): Promise<void> {
  if (!isRoot()) {
    throw DomainError.unsupported(
      'unpacking a layer with whiteouts needs root (mknod of an overlay whiteout)',
      { path },
    );
  }
  const made = await run('mknod', ['-m', '000', path, 'c', '0', '0']);
  if (!made.ok) throw DomainError.internal(`mknod whiteout ${path}: ${made.stderr}`);
}

/**
 * makeOpaque sets `trusted.overlay.opaque=y` on `dir`. Node has no xattr call, so this runs
 * `setfattr` (Debian `attr`) and, where that is not installed, Python's `os.setxattr` (python3 is
 * already a test prerequisite) — one small process per opaque directory, which layers have few of.
 */
export async function makeOpaque(dir: string): Promise<void> {
  const viaAttr = await run('setfattr', ['-n', OPAQUE_XATTR, '-v', 'y', dir]);
  if (viaAttr.ok) return;
  if (!viaAttr.missing) throw opaqueError(dir, viaAttr.stderr);
  const script =
    'import os,sys; os.setxattr(sys.argv[1], sys.argv[2], b"y", follow_symlinks=False)';
  const viaPython = await run('python3', ['-c', script, dir, OPAQUE_XATTR]);
  if (!viaPython.ok) {
    throw opaqueError(
      dir,
      viaPython.missing ? 'neither setfattr nor python3 is installed' : viaPython.stderr,
    );
  }
}

function opaqueError(dir: string, why: string): DomainError {
  return DomainError.unsupported(`cannot mark ${dir} opaque (${OPAQUE_XATTR}): ${why}`, { dir });
}
