import type { Database } from 'better-sqlite3';
import type { BlobLinkStore, BlobMembership } from '../port/blob-link.port';
import { assertLinks, assertMembership } from '../port/blob-link-rules';
import { openBesideImages } from './sqlite-schema';

/*
 * A table of its own beside the images (membership reads `image_blobs`, `refs` and
 * `repo_manifest_blobs` too), created when missing:
 *
 *   repo_blob_links  one row per (repository, digest) linked by an upload, a mount or a pull-through
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS repo_blob_links (
  repository TEXT NOT NULL, digest TEXT NOT NULL,
  PRIMARY KEY (repository, digest)) STRICT, WITHOUT ROWID;`;

/**
 * A reference is under a name when it is `<name>:<tag>` or `<name>@<digest>` (names hold no `:`
 * or `@` after their host, so the prefix cannot belong to a longer name). Every part is an index
 * lookup: links and repository manifest blobs by key, images by blob digest, refs by image.
 */
const MEMBER_SQL = `
SELECT EXISTS (SELECT 1 FROM repo_blob_links WHERE repository = @repository AND digest = @digest)
  OR EXISTS (SELECT 1 FROM repo_manifest_blobs WHERE digest = @digest AND repository = @repository)
  OR EXISTS (
    SELECT 1 FROM image_blobs b
      JOIN refs f ON f.image_id = b.image_id
      JOIN json_each(@names) n
        ON substr(f.ref, 1, length(n.value) + 1) IN (n.value || ':', n.value || '@')
     WHERE b.digest = @digest)`;

/**
 * SqliteBlobLinkStore is the embedded {@link BlobLinkStore}, on its own connection to the
 * metadata database file (so it must be a file to see the images another connection writes).
 */
export class SqliteBlobLinkStore implements BlobLinkStore {
  private readonly insert;
  private readonly member;

  private constructor(private readonly db: Database) {
    this.insert = db.prepare(
      'INSERT INTO repo_blob_links (repository, digest) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.member = db.prepare(MEMBER_SQL).pluck();
  }

  /**
   * SqliteBlobLinkStore.open opens the metadata database at `path` (migrating the image schema
   * membership reads, if this is the first opener) and creates the link table if missing.
   */
  static open(path: string): SqliteBlobLinkStore {
    const db = openBesideImages(path, SCHEMA);
    return new SqliteBlobLinkStore(db);
  }

  async link(repository: string, digests: readonly string[]): Promise<void> {
    const wanted = assertLinks(repository, digests);
    this.db.transaction(() => {
      for (const digest of wanted) this.insert.run(repository, digest);
    })();
  }

  async isMember(query: BlobMembership): Promise<boolean> {
    const { repository, digest, names } = assertMembership(query);
    return this.member.get({ repository, digest, names: JSON.stringify(names) }) === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
