import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  BlobSource,
  BlobWriter,
  Ingest,
  bytesFrom,
  openIngest,
  writeBlob,
} from '@stevedore/blob-port';
import { Digest, DigestVerifier, Digester, DomainError, isDomainError } from '@stevedore/domain';
import { invalidArchive } from '../archive-error';
import { blobPathDigest } from '../member-path';
import { LayerDigest, LayerDigester } from './layer-digest';

/** StagedBlob is one archive member after it was read: its digest, size, what it is as a layer, and small JSON kept for parsing. */
export interface StagedBlob extends LayerDigest {
  digest: string;
  size: number;
  /** The member's bytes, when it is a JSON document no larger than the JSON limit. */
  json?: Buffer;
}

/** StagingLimits bound what a load keeps in memory and open. */
export interface StagingLimits {
  /** Largest JSON document kept in memory (bytes). */
  maxJsonBytes: number;
  /** All JSON documents of one archive together (bytes). */
  maxMetadataBytes: number;
  /** Ingests held open at once; further ones are closed and reopened at commit. */
  maxOpenIngests: number;
}

/** Where a staged blob's bytes wait until the archive has been validated. */
type Source =
  | { kind: 'ingest'; size: number; ingest: Ingest | undefined; done: boolean; present: boolean }
  | { kind: 'memory'; size: number; bytes: Buffer }
  | { kind: 'spool'; size: number; file: string };

/** How long a load waits for another writer (a pull, a concurrent load) of the same digest. */
const CONFLICT_WAIT_MS = 2_000;
const JSON_START = new Set([0x7b, 0x5b]); // `{` and `[`
/** The layouts' own files: kept for parsing whatever they hold, so a bad one gets a precise error. */
const METADATA_FILES: ReadonlySet<string> = new Set([
  'manifest.json',
  'index.json',
  'oci-layout',
  'repositories',
]);
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Staging holds an archive's members until the whole archive is known to be valid, so a rejected
 * archive leaves nothing visible in the store. Members whose path names their digest
 * (`blobs/sha256/<hex>`) stream straight into a store ingest, verified as they go; other members
 * (legacy `<id>/layer.tar`, `<hex>.json`) are spooled to a temp dir, or kept in memory when they
 * are small JSON documents. {@link commit} publishes what the images need; {@link discard} aborts the rest.
 */
export class Staging {
  private readonly sources = new Map<string, Source>();
  private openIngests = 0;
  private retained = 0;
  private spooled = 0;

  constructor(
    private readonly sink: BlobWriter,
    private readonly spoolDir: string,
    private readonly limits: StagingLimits,
  ) {}

  /** stageMember reads one file member (`size` bytes as its header says) and stages it. */
  async stageMember(path: string, data: AsyncIterable<Buffer>, size: number): Promise<StagedBlob> {
    const addressed = blobPathDigest(path);
    if (addressed) return this.stageAddressed(path, addressed, data, size);
    return size <= this.limits.maxJsonBytes ? this.stageSmall(path, data) : this.stageSpooled(data);
  }

  /** addDocument stages a document made during the load (a synthesised manifest). */
  addDocument(bytes: Buffer): { digest: string; size: number } {
    const digest = Digest.fromBytes(bytes).toString();
    if (!this.sources.has(digest))
      this.sources.set(digest, { kind: 'memory', size: bytes.length, bytes });
    return { digest, size: bytes.length };
  }

  /** commit verifies and publishes each of `digests` in the store, then aborts every other staged ingest. */
  async commit(digests: Iterable<string>): Promise<void> {
    for (const digest of new Set(digests)) await this.commitOne(digest);
    await this.discard();
  }

  /** discard aborts every staged ingest not yet committed (best effort; used on failure too). */
  async discard(): Promise<void> {
    for (const [digest, source] of this.sources) {
      if (source.kind !== 'ingest' || source.done) continue;
      source.done = true;
      const ingest =
        source.ingest ?? (await this.reopen(digest, source.size).catch(() => undefined));
      source.ingest = undefined;
      await ingest?.abort().catch(() => undefined);
    }
  }

  private async stageAddressed(
    path: string,
    expected: Digest,
    data: AsyncIterable<Buffer>,
    size: number,
  ): Promise<StagedBlob> {
    const digest = expected.toString();
    const { ingest, write } = await this.openIngest(digest, size, path);
    const present = ingest.offset === size; // the store had it: nothing of it is written here
    const source: Source = { kind: 'ingest', size, ingest, done: false, present };
    this.sources.set(digest, source);
    this.openIngests += 1;
    const verifier = new DigestVerifier(expected, size);
    const layer = new LayerDigester();
    const kept: Buffer[] | undefined = size <= this.limits.maxJsonBytes ? [] : undefined;
    for await (const chunk of data) {
      verifier.update(chunk);
      kept?.push(chunk);
      // Decompression (for the DiffID) and the write both wait on the thread pool: side by side.
      await Promise.all([layer.update(chunk), write ? ingest.write(chunk) : undefined]);
    }
    try {
      verifier.verify();
    } catch (error) {
      throw invalidArchive(
        `invalid archive: ${path} does not match its digest`,
        isDomainError(error) ? error.details : undefined,
      );
    }
    await this.park(source);
    return {
      digest,
      size,
      ...(await layer.finish(digest)),
      ...this.retain(kept && Buffer.concat(kept)),
    };
  }

  private async stageSmall(path: string, data: AsyncIterable<Buffer>): Promise<StagedBlob> {
    const chunks: Buffer[] = [];
    for await (const chunk of data) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const digest = Digest.fromBytes(bytes).toString();
    const layer = new LayerDigester();
    await layer.update(bytes);
    const retained = this.retain(bytes, METADATA_FILES.has(path));
    if (!this.sources.has(digest)) {
      // Small JSON stays in memory for parsing anyway; small non-JSON (a tiny layer) goes to disk.
      if (retained.json) this.sources.set(digest, { kind: 'memory', size: bytes.length, bytes });
      else
        this.sources.set(digest, {
          kind: 'spool',
          size: bytes.length,
          file: await this.spoolBytes(bytes),
        });
    }
    return { digest, size: bytes.length, ...(await layer.finish(digest)), ...retained };
  }

  private async stageSpooled(data: AsyncIterable<Buffer>): Promise<StagedBlob> {
    const file = this.nextSpoolFile();
    const out = createWriteStream(file);
    const digester = new Digester();
    const layer = new LayerDigester();
    for await (const chunk of data) {
      digester.update(chunk);
      await layer.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
    const digest = digester.digest().toString();
    if (this.sources.has(digest)) await rm(file, { force: true });
    else this.sources.set(digest, { kind: 'spool', size: digester.bytes, file });
    return { digest, size: digester.bytes, ...(await layer.finish(digest)) };
  }

  /**
   * openIngest starts a fresh ingest for a member streamed from its first byte (an older, partial
   * one of the same digest is thrown away). Another writer of the digest usually commits the very
   * same bytes, and the ingest then finds them (offset === size; the bytes are still verified here).
   */
  private async openIngest(
    digest: string,
    size: number,
    path: string,
  ): Promise<{ ingest: Ingest; write: boolean }> {
    let ingest = await this.reopen(digest, size).catch(sizeLie(path, size, digest));
    if (ingest.offset > 0 && ingest.offset < size) {
      await ingest.abort();
      ingest = await this.reopen(digest, size);
    }
    if (ingest.offset !== 0 && ingest.offset !== size) {
      throw DomainError.conflict(`blob ${digest} is being written by another ingest`);
    }
    return { ingest, write: ingest.offset === 0 && size > 0 };
  }

  private reopen(digest: string, size: number): Promise<Ingest> {
    const blob = { digest: Digest.parse(digest), size };
    return openIngest(this.sink, blob, { maxWaitMs: CONFLICT_WAIT_MS });
  }

  /** park closes an ingest (keeping its bytes) once too many are open; commit reopens it. */
  private async park(source: Source): Promise<void> {
    if (
      source.kind !== 'ingest' ||
      !source.ingest ||
      this.openIngests <= this.limits.maxOpenIngests
    )
      return;
    await source.ingest.close();
    source.ingest = undefined;
    this.openIngests -= 1;
  }

  private async commitOne(digest: string): Promise<void> {
    const source = this.sources.get(digest);
    if (!source) throw DomainError.internal(`blob ${digest} was never staged`);
    if (source.kind === 'ingest') {
      // A blob the store already had may have been collected since: look again (the caller holds
      // the content by now, so what is there stays there).
      const ingest =
        source.present || !source.ingest ? await this.reopen(digest, source.size) : source.ingest;
      if (source.present && ingest.offset !== source.size) {
        await ingest.abort();
        throw new DomainError(
          'UNAVAILABLE',
          `blob ${digest} was removed from the store while the archive was loading; load it again`,
        );
      }
      source.ingest = ingest;
      await ingest.commit();
      source.done = true;
      source.ingest = undefined;
      return;
    }
    const from: BlobSource =
      source.kind === 'memory'
        ? bytesFrom(source.bytes)
        : (start) => createReadStream(source.file, { start });
    const blob = { digest: Digest.parse(digest), size: source.size };
    await writeBlob(this.sink, blob, from, { maxWaitMs: CONFLICT_WAIT_MS }).catch(
      sizeLie(digest, source.size, digest),
    );
  }

  /** retain keeps a small member's bytes if they look like JSON, within the archive's metadata budget. */
  private retain(bytes: Buffer | undefined, always = false): { json?: Buffer } {
    if (!bytes || !(always || looksLikeJson(bytes))) return {};
    this.retained += bytes.length;
    if (this.retained > this.limits.maxMetadataBytes) {
      throw invalidArchive(
        `invalid archive: more than ${this.limits.maxMetadataBytes} bytes of JSON documents`,
      );
    }
    return { json: bytes };
  }

  private nextSpoolFile(): string {
    this.spooled += 1;
    return join(this.spoolDir, `member-${this.spooled}`);
  }

  private async spoolBytes(bytes: Buffer): Promise<string> {
    const file = this.nextSpoolFile();
    const out = createWriteStream(file);
    out.end(bytes);
    await finished(out);
    return file;
  }
}

/** sizeLie words a store that holds `digest` at another size: the archive's header lies. */
function sizeLie(path: string, size: number, digest: string): (error: unknown) => never {
  return (error) => {
    if (isDomainError(error) && error.code === 'DIGEST_MISMATCH') {
      throw invalidArchive(
        `invalid archive: ${path} is ${size} bytes, which does not match ${digest}`,
      );
    }
    throw error;
  };
}

function looksLikeJson(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (WHITESPACE.has(byte)) continue;
    return JSON_START.has(byte);
  }
  return false;
}
