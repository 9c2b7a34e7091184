/**
 * A small tar encoder for the archives this library writes (layer diffs, `docker cp`, `docker
 * export`). tar-stream's packer encodes PAX values as UTF-8 text, which corrupts the binary
 * `security.capability` xattr Docker keeps, so headers are built here: ustar, with a PAX extended
 * header in front when a field does not fit (long or non-ASCII names and link targets, large
 * ids or sizes) or an xattr is carried — as Go's archive/tar does for Docker.
 */

export type TarType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

/** TarEntry is one header; `size` is the number of body bytes that follow (files only). */
export interface TarEntry {
  readonly name: string;
  readonly type: TarType;
  /** Permission bits (0o7777); the file type bits are added as Go's FileInfoHeader does. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Whole seconds since the epoch: Docker truncates mtimes and drops atime/ctime. */
  readonly mtime: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  /** Extended attributes, written as `SCHILY.xattr.<name>` PAX records. */
  readonly xattrs?: ReadonlyMap<string, Buffer>;
}

export const BLOCK = 512;

const TYPE_FLAG: Record<TarType, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
};

/** Go's c_IS* bits, which Docker's headers carry in the mode field. */
const TYPE_BITS: Record<TarType, number> = {
  file: 0o100000,
  link: 0o100000,
  symlink: 0o120000,
  char: 0o20000,
  block: 0o60000,
  directory: 0o40000,
  fifo: 0o10000,
};

const MAX_OCTAL_8 = 0o7777777;
const MAX_OCTAL_12 = 0o77777777777;

/** tarEnd is the two zero blocks that close an archive (Go's tar.Writer.Close writes no more). */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

/** tarPadding is the zeros that round a body of `size` bytes up to a whole block. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** tarHeader encodes `entry`: a PAX header first when needed, then the ustar header. */
export function tarHeader(entry: TarEntry): Buffer {
  const pax = paxRecords(entry);
  const ustar = ustarHeader(entry);
  if (pax.length === 0) return ustar;
  const body = Buffer.concat(pax);
  const paxHeader = ustarHeader(
    {
      name: paxName(entry.name),
      type: 'file',
      mode: 0o644,
      uid: 0,
      gid: 0,
      size: body.length,
      mtime: entry.mtime,
    },
    'x',
  );
  return Buffer.concat([paxHeader, body, tarPadding(body.length), ustar]);
}

/** paxRecords lists what ustar cannot hold; ustarHeader leaves those fields short or zero. */
function paxRecords(e: TarEntry): Buffer[] {
  const records: Buffer[] = [];
  if (splitName(e.name) === undefined) records.push(paxRecord('path', Buffer.from(e.name)));
  const link = e.linkname ?? '';
  if (!fitsUstar(link, 100)) records.push(paxRecord('linkpath', Buffer.from(link)));
  if (e.size > MAX_OCTAL_12) records.push(paxRecord('size', Buffer.from(String(e.size))));
  if (e.uid > MAX_OCTAL_8) records.push(paxRecord('uid', Buffer.from(String(e.uid))));
  if (e.gid > MAX_OCTAL_8) records.push(paxRecord('gid', Buffer.from(String(e.gid))));
  for (const [name, value] of [...(e.xattrs ?? new Map<string, Buffer>())].sort()) {
    records.push(paxRecord(`SCHILY.xattr.${name}`, value));
  }
  return records;
}

/** paxRecord is `<len> <key>=<value>\n`, where len counts the whole record, itself included. */
function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.byteLength(` ${key}=`) + value.length + 1;
  let len = rest + String(rest).length;
  if (String(len).length !== String(rest).length) len = rest + String(len).length;
  return Buffer.concat([Buffer.from(`${len} ${key}=`), value, Buffer.from('\n')]);
}

function fitsUstar(s: string, max: number): boolean {
  return Buffer.byteLength(s) <= max && asciiOnly(s) === s;
}

/** splitName splits a name into ustar's prefix (155) and name (100), or undefined if it cannot. */
function splitName(name: string): [string, string] | undefined {
  if (!fitsUstar(name, 256)) return undefined;
  if (name.length <= 100) return ['', name];
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    if (i > 0 && i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) {
      return [name.slice(0, i), name.slice(i + 1)];
    }
  }
  return undefined;
}

/** paxName names the extended header as Go does: `<dir>/PaxHeaders.0/<base>`, cut to fit. */
function paxName(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const dir = slash === -1 ? '' : `${trimmed.slice(0, slash)}/`;
  const full = `${dir}PaxHeaders.0/${trimmed.slice(slash + 1)}`;
  return Buffer.from(asciiOnly(full)).subarray(0, 100).toString('latin1');
}

function ustarHeader(e: TarEntry, flag?: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(e.name) ?? ['', asciiCut(e.name, 100)];
  h.write(name, 0, 100, 'latin1');
  octal(h, 100, 8, (e.mode & 0o7777) + (flag === 'x' ? 0 : TYPE_BITS[e.type]));
  octal(h, 108, 8, e.uid > MAX_OCTAL_8 ? 0 : e.uid);
  octal(h, 116, 8, e.gid > MAX_OCTAL_8 ? 0 : e.gid);
  octal(h, 124, 12, e.size > MAX_OCTAL_12 ? 0 : e.size);
  octal(h, 136, 12, Math.max(0, Math.min(e.mtime, MAX_OCTAL_12)));
  h.write(flag ?? TYPE_FLAG[e.type], 156, 1, 'latin1');
  h.write(asciiCut(e.linkname ?? '', 100), 157, 100, 'latin1');
  h.write('ustar\u000000', 257, 8, 'latin1');
  octal(h, 329, 8, e.devmajor ?? 0);
  octal(h, 337, 8, e.devminor ?? 0);
  h.write(prefix, 345, 155, 'latin1');
  // The checksum is summed with its own field as spaces.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return h;
}

/** octal writes a NUL-terminated, zero-padded octal number filling a field of `len` bytes. */
function octal(h: Buffer, offset: number, len: number, value: number): void {
  h.write(
    `${Math.floor(value)
      .toString(8)
      .padStart(len - 1, '0')}\u0000`,
    offset,
    len,
    'latin1',
  );
}

/** asciiCut is what ustar keeps of a string a PAX record carries in full. */
function asciiCut(s: string, max: number): string {
  return Buffer.from(asciiOnly(s)).subarray(0, max).toString('latin1');
}

/** asciiOnly replaces what ustar cannot hold (NUL and non-ASCII) by `_`. */
function asciiOnly(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += code >= 1 && code <= 127 && c.length === 1 ? c : '_';
  }
  return out;
}
