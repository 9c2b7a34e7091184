import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';

/** TarMember is one member for {@link tarOf}: a file (default), directory, symlink, hard link or device node. */
export interface TarMember {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device';
  data?: Buffer | string;
  linkname?: string;
  mode?: number;
}

/** tarOf builds a tar in memory with tar-stream (hostile members included: it does not police names). */
export async function tarOf(members: TarMember[]): Promise<Buffer> {
  const p = pack();
  for (const m of members) {
    const type = m.type ?? 'file';
    const header = {
      name: m.name,
      type,
      mtime: new Date(0),
      mode: m.mode ?? (type === 'directory' ? 0o755 : 0o644),
      ...(m.linkname ? { linkname: m.linkname } : {}),
    };
    if (type === 'file') p.entry(header, Buffer.from(m.data ?? ''));
    else p.entry(header);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** TarFile is a member read back by {@link untar}. */
export interface TarFile {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
  linkname?: string;
  data: Buffer;
}

/** untar reads every member of a tar held in memory. */
export async function untar(bytes: Buffer): Promise<TarFile[]> {
  const x = extract();
  const files: TarFile[] = [];
  Readable.from([bytes]).pipe(x as unknown as NodeJS.WritableStream);
  for await (const entry of x) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const { name, type, mode, uid, gid, mtime, linkname } = entry.header;
    files.push({
      name,
      type,
      mode,
      uid,
      gid,
      mtime,
      ...(linkname ? { linkname } : {}),
      data: Buffer.concat(chunks),
    });
  }
  return files;
}

/** patchHeaderSize rewrites the size field of the tar header at `offset` and fixes its checksum. */
export function patchHeaderSize(tar: Buffer, offset: number, size: number): Buffer {
  const out = Buffer.from(tar);
  out.write(`${size.toString(8).padStart(11, '0')}\0`, offset + 124, 12, 'ascii');
  out.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let i = offset; i < offset + 512; i += 1) sum += out[i] ?? 0;
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, offset + 148, 8, 'ascii');
  return out;
}

/** collect reads a stream to the end. */
export async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
