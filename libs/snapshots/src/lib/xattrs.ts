import { spawn } from 'node:child_process';
import { DomainError } from '@stevedore/domain';

/** The xattrs this library reads back from a tree. */
export interface TreeXattrs {
  /** Directories (relative, `''` the top) with `trusted.overlay.opaque=y`. */
  readonly opaque: ReadonlySet<string>;
  /** `security.capability` by relative path: the one xattr Docker keeps in its archives. */
  readonly capability: ReadonlyMap<string, Buffer>;
}

/**
 * The walker: Node has no xattr call, so one Python process (python3 is already a prerequisite,
 * see whiteouts.ts) walks the tree without following symlinks and prints only the entries that
 * carry one of the two xattrs — one listxattr per entry, one process per tree, not per file.
 */
const WALKER = String.raw`
import base64, json, os, sys
top = sys.argv[1]
out = {}
def look(path, rel):
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return
    entry = {}
    if 'trusted.overlay.opaque' in names and os.getxattr(path, 'trusted.overlay.opaque', follow_symlinks=False) == b'y':
        entry['o'] = True
    if 'security.capability' in names:
        entry['c'] = base64.b64encode(os.getxattr(path, 'security.capability', follow_symlinks=False)).decode()
    if entry:
        out[rel] = entry
look(top, '')
for dirpath, dirs, files in os.walk(top, followlinks=False):
    base = os.path.relpath(dirpath, top)
    for name in dirs + files:
        rel = name if base == '.' else base + '/' + name
        look(os.path.join(dirpath, name), rel)
json.dump(out, sys.stdout)
`;

/** readTreeXattrs reads the opaque markers and file capabilities of the tree at `dir`. */
export async function readTreeXattrs(dir: string): Promise<TreeXattrs> {
  const raw = await python(WALKER, [dir]);
  const found = JSON.parse(raw) as Record<string, { o?: boolean; c?: string }>;
  const opaque = new Set<string>();
  const capability = new Map<string, Buffer>();
  for (const [rel, entry] of Object.entries(found)) {
    if (entry.o) opaque.add(rel);
    if (entry.c !== undefined) capability.set(rel, Buffer.from(entry.c, 'base64'));
  }
  return { opaque, capability };
}

function python(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e) =>
      reject(DomainError.unsupported(`reading xattrs needs python3: ${e.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(DomainError.internal(`reading xattrs: ${Buffer.concat(err).toString().trim()}`));
    });
  });
}
