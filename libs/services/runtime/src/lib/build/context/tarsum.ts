import { createHash, type Hash } from 'node:crypto';
import type { Header } from 'tar-stream';

/** TarHeader is the part of a context tar member's header that dockerd's tarsum (v1) hashes. */
export type TarHeader = Pick<
  Header,
  'name' | 'mode' | 'uid' | 'gid' | 'size' | 'type' | 'linkname' | 'uname' | 'gname'
> & { devmajor?: number; devminor?: number; pax?: Record<string, string> | null };

const TYPEFLAGS: Record<string, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  'character-device': '3',
  'block-device': '4',
  directory: '5',
  fifo: '6',
  'contiguous-file': '7',
};

/**
 * tarsumHash starts the checksum dockerd 20.10 gives a context file (`tarsum.Version1`): the
 * header's fields in tarsum's order without mtime (so touching a file keeps the cache), then its
 * xattrs; the caller feeds the content. It is what `COPY file:<sum>` names.
 */
export function tarsumHash(h: TarHeader): Hash {
  const fields: [string, string][] = [
    ['name', h.name],
    ['mode', String(h.mode ?? 0)],
    ['uid', String(h.uid ?? 0)],
    ['gid', String(h.gid ?? 0)],
    ['size', String(h.size ?? 0)],
    ['typeflag', TYPEFLAGS[h.type ?? 'file'] ?? '0'],
    ['linkname', h.linkname ?? ''],
    ['uname', h.uname ?? ''],
    ['gname', h.gname ?? ''],
    ['devmajor', String(h.devmajor ?? 0)],
    ['devminor', String(h.devminor ?? 0)],
  ];
  const xattrs = Object.entries(h.pax ?? {})
    .filter(([k]) => k.startsWith('SCHILY.xattr.'))
    .map(([k, v]): [string, string] => [k.slice('SCHILY.xattr.'.length), v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  for (const [key, value] of [...fields, ...xattrs]) hash.update(key + value);
  return hash;
}

/** hashStrings is dockerd's `hashStringSlice`: `prefix:` + sha256 of the sums joined by commas. */
export function hashStrings(prefix: string, sums: readonly string[]): string {
  return `${prefix}:${createHash('sha256').update(sums.join(',')).digest('hex')}`;
}
