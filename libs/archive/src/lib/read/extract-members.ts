import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Header, extract as tarExtract } from 'tar-stream';
import { isDomainError } from '@stevedore/domain';
import { dockerWords, invalidArchive, isSystemError } from '../archive-error';
import { normalizeMemberPath, resolveLinkTarget } from '../member-path';
import { decompressed } from './compression';
import { MemberTable } from './member-table';
import { Staging } from './staging';

/**
 * extractMembers decompresses `input` (by magic bytes), walks its tar members one by one and
 * stages each file; it returns the archive's namespace. Hostile or malformed input — a bad tar
 * header, data longer than a header claims (it then reads as a corrupt header), a path outside the
 * archive, a link leading out — fails with INVALID_ARGUMENT, leaving the staged blobs to the caller
 * to discard.
 */
export async function extractMembers(
  input: Readable,
  staging: Staging,
  maxMembers: number,
): Promise<MemberTable> {
  const { stream } = await decompressed(input);
  const extract = tarExtract();
  // tar-stream's streams (streamx) speak Node's stream protocol; only their typings differ.
  const piping = pipeline(stream, extract as unknown as Writable);
  // The loop below reports the first failure; the pipeline's own rejection is read afterwards.
  piping.catch(() => undefined);
  const table = new MemberTable(maxMembers);
  try {
    for await (const entry of extract) {
      // A member cut short fails its stream, maybe before it is read (an ingest still opening):
      // the failure is reported through the pipeline, and an unheard 'error' would end the process.
      (entry as TarEntry).on('error', () => undefined);
      await admitEntry(entry as TarEntry, table, staging);
    }
    await piping;
  } catch (error) {
    extract.destroy();
    stream.destroy();
    const upstream = await piping.then(
      () => undefined,
      (err: unknown) => err,
    );
    throw archiveError(isDomainError(error) || upstream === undefined ? error : upstream);
  }
  return table;
}

/** TarEntry is one member as tar-stream yields it: its header and a stream of its data. */
type TarEntry = AsyncIterable<unknown> & {
  header: Header;
  on(event: 'error', listener: () => void): unknown;
};

async function admitEntry(entry: TarEntry, table: MemberTable, staging: Staging): Promise<void> {
  const { header } = entry;
  const path = normalizeMemberPath(header.name);
  switch (header.type) {
    case 'directory':
      table.admit(path, 'dir');
      table.addDir(path);
      return drain(entry);
    case 'file':
    case 'contiguous-file':
      table.admit(path, 'file');
      table.addFile(path, await staging.stageMember(path, bytesOf(entry), header.size));
      return;
    case 'symlink':
    case 'link': {
      table.admit(path, 'link');
      const hard = header.type === 'link';
      const target = resolveLinkTarget(path, header.linkname, hard);
      // A hard link names an earlier member; one to nothing is malformed.
      if (hard && !table.has(target))
        throw invalidArchive(`invalid archive: hard link ${path} points to missing ${target}`);
      table.addLink(path, target);
      return drain(entry);
    }
    default:
      throw invalidArchive(
        `invalid archive: member ${path} is a ${header.type}, which an image archive never holds`,
      );
  }
}

async function* bytesOf(entry: TarEntry): AsyncGenerator<Buffer> {
  for await (const chunk of entry)
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
}

async function drain(entry: TarEntry): Promise<void> {
  for await (const _chunk of entry) {
    // Directories and links carry no data; anything here is skipped.
  }
}

/** archiveError keeps domain and system (I/O) errors, and turns tar/stream parse errors into INVALID_ARGUMENT. */
function archiveError(error: unknown): unknown {
  if (isDomainError(error)) return error;
  if (isSystemError(error)) return error;
  const words = dockerWords(error);
  if (words === 'unexpected EOF') return invalidArchive('invalid archive: unexpected EOF');
  return invalidArchive(`invalid archive: not a readable tar stream (${words})`);
}
