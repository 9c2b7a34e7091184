import { PassThrough, type Readable } from 'node:stream';
import { extract, pack, type Header } from 'tar-stream';

/**
 * renameTopEntry re-roots a tar of a whole tree archived as `/` (entries `/`, `/a`, `/a/b`) under
 * `top` (`top/`, `top/a`, `top/a/b`), hard link targets included, streaming entry by entry. It
 * serves `docker cp` of a mount point, whose tree is archived from the mount's source.
 */
export function renameTopEntry(tar: Readable, top: string): Readable {
  const rename = (name: string): string => `${top}/${name.replace(/^\/+/, '')}`;
  const input = extract();
  const output = pack();
  const result = new PassThrough();
  input.on('entry', (header: Header, body, next) => {
    const renamed: Header = { ...header, name: rename(header.name) };
    if (header.type === 'link' && header.linkname) renamed.linkname = rename(header.linkname);
    const entry = output.entry(renamed, (err) => (err ? result.destroy(err) : next()));
    body.pipe(entry);
  });
  input.on('finish', () => output.finalize());
  input.on('error', (err: Error) => result.destroy(err));
  tar.on('error', (err: Error) => result.destroy(err));
  tar.pipe(input);
  output.pipe(result);
  result.on('close', () => tar.destroy());
  return result;
}
