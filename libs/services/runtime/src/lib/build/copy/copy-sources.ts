import { lstat, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { resolveInRoot } from '@stevedore/snapshots';
import { hashStrings } from '../context/tarsum';
import { BuildError } from '../build-error';

/** SourceTree is where COPY reads: the context (with its tarsums) or another image's root. */
export interface SourceTree {
  root: string;
  /** Per-path hash (context: the uploaded tar's tarsums; an image: computed by the caller). */
  hash(rel: string): Promise<string>;
  /** Paths `.dockerignore` hides (the context only). */
  excluded(rel: string): boolean;
}

/** CopySource is one resolved COPY source: its path in the tree and its cache hash. */
export interface CopySource {
  /** Clean relative path in the tree after links were followed ('' is the root). */
  rel: string;
  /** The name as matched (its basename names the copy). */
  name: string;
  isDir: boolean;
  hash: string;
}

const WILDCARD = /[*?[\\]/;

/**
 * resolveSources is dockerd's `calcCopyInfo` for each source word: a clean path inside the tree
 * (`../x` is refused), globs matched against every path, links followed inside the tree, and the
 * hash that goes into the step's cache key: `file:<sum>` or `dir:<sum of sums>`.
 */
export async function resolveSources(tree: SourceTree, words: readonly string[], cmd: string) {
  const out: CopySource[] = [];
  for (const word of words) {
    const clean = posix.normalize(`/${word}`).slice(1);
    if (posix.normalize(word).startsWith('../') || posix.normalize(word) === '..')
      throw new BuildError(`${cmd} failed: forbidden path outside the build context: ${word} ()`);
    if (WILDCARD.test(clean)) {
      const matches = (await walk(tree, '')).filter((p) => goMatch(clean, p));
      for (const match of matches) out.push(await sourceOf(tree, match, cmd));
      continue;
    }
    out.push(await sourceOf(tree, clean, cmd));
  }
  if (out.length === 0) throw new BuildError(`${cmd} failed: no source files were specified`);
  return out;
}

/** sourceHash is dockerd's `getSourceHashFromInfos`: one source's hash, or `multi:`. */
export function sourceHash(sources: readonly CopySource[]): string {
  if (sources.length === 1) return sources[0]?.hash ?? '';
  return hashStrings(
    'multi',
    sources.map((s) => s.hash),
  );
}

async function sourceOf(tree: SourceTree, clean: string, cmd: string): Promise<CopySource> {
  const full = await resolveInRoot(tree.root, clean);
  const rel = posix.relative(tree.root, full);
  const stat = tree.excluded(clean) ? undefined : await lstat(full).catch(() => undefined);
  if (!stat)
    throw new BuildError(
      `${cmd} failed: file not found in build context or excluded by .dockerignore: stat ${clean}: file does not exist`,
    );
  if (!stat.isDirectory())
    return { rel, name: clean, isDir: false, hash: `file:${await tree.hash(rel)}` };
  // dockerd's walkSource: the directory itself and everything under it, links followed.
  const sums: string[] = [];
  for (const sub of [rel, ...(await walk(tree, rel))]) {
    if (sub === '') continue;
    const followed = posix.relative(tree.root, await resolveInRoot(tree.root, sub));
    sums.push(await tree.hash(followed));
  }
  return { rel, name: clean, isDir: true, hash: hashStrings('dir', sums.sort()) };
}

/** walk lists every path under `rel` (not following links), lexically, skipping ignored ones. */
export async function walk(tree: SourceTree, rel: string): Promise<string[]> {
  const out: string[] = [];
  const dir = rel === '' ? tree.root : posix.join(tree.root, rel);
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  for (const name of names) {
    const sub = rel === '' ? name : `${rel}/${name}`;
    if (tree.excluded(sub)) continue;
    out.push(sub);
    const stat = await lstat(posix.join(tree.root, sub));
    if (stat.isDirectory()) out.push(...(await walk(tree, sub)));
  }
  return out;
}

/** goMatch is Go's `filepath.Match` on slash paths: `*` and `?` stop at `/`, `[...]` classes. */
export function goMatch(pattern: string, path: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i] as string);
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return false;
      const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else re += escapeRe(ch);
  }
  return new RegExp(`^${re}$`).test(path);
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
