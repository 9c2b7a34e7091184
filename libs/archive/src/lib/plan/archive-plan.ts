/**
 * ArchiveEntry is one member of a planned tar: small inline text (`manifest.json`, `index.json`,
 * …), a blob the writer streams from the store by digest, or a directory.
 */
export type ArchiveEntry =
  | { path: string; kind: 'text'; text: string }
  | { path: string; kind: 'blob'; digest: string; size: number }
  | { path: string; kind: 'dir' };

/** ArchivePlan is a whole tar, entry by entry, as {@link writeArchive} writes it. */
export interface ArchivePlan {
  entries: ArchiveEntry[];
}
