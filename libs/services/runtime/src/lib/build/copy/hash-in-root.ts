import { createReadStream } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tarsumHash, type TarHeader } from '../context/tarsum';

/**
 * hashInRoot is dockerd's `lazySource.Hash` for a file of an image (`COPY --from`): the tarsum
 * of a header made from the file's stat (no name, no mtime) and its content.
 */
export async function hashInRoot(root: string, rel: string): Promise<string> {
  const path = join(root, rel);
  const stat = await lstat(path);
  const type: TarHeader['type'] = stat.isDirectory()
    ? 'directory'
    : stat.isSymbolicLink()
      ? 'symlink'
      : 'file';
  const hash = tarsumHash({
    name: '',
    mode: stat.mode,
    uid: stat.uid,
    gid: stat.gid,
    size: type === 'file' ? stat.size : 0,
    type,
    linkname: type === 'symlink' ? await readlink(path) : '',
    uname: '',
    gname: '',
  });
  if (type === 'file')
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
