import { Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Header, Pack, pack as tarPack } from 'tar-stream';
import type { BlobReader } from '@stevedore/blob-port';
import type { ArchiveEntry, ArchivePlan } from '../plan/archive-plan';
import { Digest, DomainError, isDomainError } from '@stevedore/domain';
import { normalizeMemberPath } from '../member-path';

/**
 * Every header is the same but for name, size and type, so an archive's bytes depend only on its
 * plan: epoch mtime (Docker stamps most save files with the epoch too, but configs and layers with
 * the image's creation time, and index.json with the current time), root ownership, 0644/0755.
 */
const FIXED = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' } as const;

/**
 * writeArchive streams the tar a plan describes into `out`, entry by entry: text entries inline,
 * blob entries piped from `store.read(digest)` with their declared size (never buffered), ending
 * with the two zero blocks of a tar trailer. Blobs are not hashed again: the store verified each
 * one when it was committed, and hashing every byte of a save again cost more than reading it
 * (issue 14). Their size is held to the plan: if a blob cannot be read or is shorter or longer, the
 * tar is destroyed (and with it `out`), and the promise rejects; a consumer sees a truncated
 * archive, never a misframed one. Entry paths are checked (INVALID_ARGUMENT for absolute or `..`
 * paths) before anything is written.
 */
export async function writeArchive(
  plan: ArchivePlan,
  store: BlobReader,
  out: Writable | NodeJS.WritableStream,
): Promise<void> {
  const entries = plan.entries.map((entry) => ({ ...entry, path: checkedPath(entry) }));
  const pack = tarPack();
  // tar-stream's streams (streamx) speak Node's stream protocol; only their typings differ.
  const piping = pipeline(pack as unknown as Readable, out);
  // Failures are reported by the loop below; the pipeline's own rejection is read afterwards.
  piping.catch(() => undefined);
  try {
    for (const entry of entries) await addEntry(pack, entry, store);
    pack.finalize();
  } catch (error) {
    pack.destroy(error instanceof Error ? error : new Error(String(error)));
    const downstream = await piping.then(
      () => undefined,
      (err: unknown) => err,
    );
    throw isDomainError(error) || downstream === undefined ? error : downstream;
  }
  await piping;
}

function checkedPath(entry: ArchiveEntry): string {
  const path = normalizeMemberPath(entry.path);
  if (path === '') throw DomainError.invalidArgument('an archive entry has an empty path');
  return entry.kind === 'dir' ? `${path}/` : path;
}

async function addEntry(pack: Pack, entry: ArchiveEntry, store: BlobReader): Promise<void> {
  switch (entry.kind) {
    case 'dir':
      return finished(pack, { ...FIXED, name: entry.path, type: 'directory', mode: 0o755 });
    case 'text': {
      const bytes = Buffer.from(entry.text, 'utf8');
      return finished(
        pack,
        { ...FIXED, name: entry.path, type: 'file', mode: 0o644, size: bytes.length },
        bytes,
      );
    }
    case 'blob':
      return addBlob(pack, entry, store);
  }
}

/** finished adds one entry and resolves once tar-stream has taken all of it. */
function finished(
  pack: Pack,
  header: Partial<Header> & { name: string },
  body?: Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (body) pack.entry(header, body, done);
    else pack.entry(header, done);
  });
}

async function addBlob(
  pack: Pack,
  entry: ArchiveEntry & { kind: 'blob' },
  store: BlobReader,
): Promise<void> {
  const digest = Digest.parse(entry.digest);
  const source = await store.read(digest);
  let onTaken: (err?: Error | null) => void = () => undefined;
  const taken = new Promise<void>((resolve, reject) => {
    onTaken = (err) => (err ? reject(err) : resolve());
  });
  taken.catch(() => undefined);
  const sink = pack.entry(
    { ...FIXED, name: entry.path, type: 'file', mode: 0o644, size: entry.size },
    (err) => onTaken(err),
  );
  await pipeline(source, new SizeGuard(digest, entry.size), sink as unknown as Writable);
  await taken;
}

/**
 * SizeGuard passes a blob's bytes through and fails the stream as soon as they outgrow the size
 * the tar header declared, or end short of it: a wrong size would misframe every later entry.
 */
class SizeGuard extends Transform {
  private seen = 0;

  constructor(
    private readonly digest: Digest,
    private readonly size: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    callback(this.seen > this.size ? this.mismatch() : null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.seen === this.size ? null : this.mismatch());
  }

  private mismatch(): DomainError {
    return DomainError.digestMismatch(
      `blob ${this.digest} in the store is not ${this.size} bytes as its descriptor says`,
    );
  }
}
