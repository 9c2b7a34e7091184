import type { Database, Statement } from 'better-sqlite3';
import type { ManifestTagV1, RepositoryManifestRecord } from '@stevedore/contracts';
import { manifestRecordOf } from '../port/manifest-validation';

/** ManifestRow is a row of `repo_manifests` (blobs as a JSON list). */
interface ManifestRow {
  repository: string;
  digest: string;
  media_type: string;
  size: number;
  artifact_type: string | null;
  subject: string | null;
  annotations: string | null;
  image_id: string | null;
  blobs: string;
}

function toManifestRow(record: RepositoryManifestRecord): ManifestRow {
  return {
    repository: record.repository,
    digest: record.digest,
    media_type: record.mediaType,
    size: record.size,
    artifact_type: record.artifactType ?? null,
    subject: record.subject ?? null,
    annotations: record.annotations === undefined ? null : JSON.stringify(record.annotations),
    image_id: record.imageId ?? null,
    blobs: JSON.stringify(record.blobs),
  };
}

function fromManifestRow(row: ManifestRow): RepositoryManifestRecord {
  return manifestRecordOf({
    repository: row.repository,
    digest: row.digest,
    mediaType: row.media_type,
    size: row.size,
    artifactType: row.artifact_type,
    subject: row.subject,
    annotationsJson: row.annotations,
    imageId: row.image_id,
    blobs: JSON.parse(row.blobs) as string[],
  });
}

function prepareManifestStatements(db: Database) {
  const p = (text: string): Statement => db.prepare(text);
  return {
    upsert: p(`INSERT INTO repo_manifests
      (repository, digest, media_type, size, artifact_type, subject, annotations, image_id, blobs)
      VALUES (@repository, @digest, @media_type, @size, @artifact_type, @subject, @annotations, @image_id, @blobs)
      ON CONFLICT (repository, digest) DO UPDATE SET media_type = excluded.media_type,
        size = excluded.size, artifact_type = excluded.artifact_type, subject = excluded.subject,
        annotations = excluded.annotations, image_id = excluded.image_id, blobs = excluded.blobs`),
    clearBlobs: p('DELETE FROM repo_manifest_blobs WHERE repository = ? AND manifest = ?'),
    addBlob: p(
      'INSERT OR IGNORE INTO repo_manifest_blobs (digest, repository, manifest) VALUES (?, ?, ?)',
    ),
    get: p('SELECT * FROM repo_manifests WHERE repository = ? AND digest = ?'),
    // Served by repo_manifests_by_subject; rowid keeps the order of recording.
    referrers: p(`SELECT * FROM repo_manifests WHERE repository = ? AND subject = ?
      AND (? IS NULL OR artifact_type = ?) ORDER BY rowid`),
    delete: p('DELETE FROM repo_manifests WHERE repository = ? AND digest = ?'),
    tag: p(`INSERT INTO repo_manifest_tags (repository, tag, digest) VALUES (?, ?, ?)
      ON CONFLICT (repository, tag) DO UPDATE SET digest = excluded.digest`),
    tags: p(`SELECT repository, tag, digest FROM repo_manifest_tags
      WHERE ? IS NULL OR repository = ? ORDER BY repository, tag`),
    untag: p('DELETE FROM repo_manifest_tags WHERE repository = ? AND tag = ?'),
  };
}

/**
 * ManifestRows holds the statements over `repo_manifests` and `repo_manifest_blobs` (its blobs,
 * for garbage collection). Synchronous; callers compose them inside one transaction.
 */
export class ManifestRows {
  private readonly sql: ReturnType<typeof prepareManifestStatements>;

  constructor(db: Database) {
    this.sql = prepareManifestStatements(db);
  }

  put(record: RepositoryManifestRecord, tag: string | undefined): void {
    this.sql.upsert.run(toManifestRow(record));
    this.sql.clearBlobs.run(record.repository, record.digest);
    for (const blob of record.blobs) this.sql.addBlob.run(blob, record.repository, record.digest);
    if (tag !== undefined) this.sql.tag.run(record.repository, tag, record.digest);
  }

  tags(repository: string | undefined): ManifestTagV1[] {
    const of = repository ?? null;
    return this.sql.tags.all(of, of) as ManifestTagV1[];
  }

  untag(repository: string, tag: string): boolean {
    return this.sql.untag.run(repository, tag).changes > 0;
  }

  get(repository: string, digest: string): RepositoryManifestRecord | undefined {
    const row = this.sql.get.get(repository, digest) as ManifestRow | undefined;
    return row && fromManifestRow(row);
  }

  referrers(
    repository: string,
    subject: string,
    artifactType?: string,
  ): RepositoryManifestRecord[] {
    const type = artifactType ?? null;
    const rows = this.sql.referrers.all(repository, subject, type, type) as ManifestRow[];
    return rows.map(fromManifestRow);
  }

  /** delete removes a record; its blob and tag rows go with it (ON DELETE CASCADE). */
  delete(repository: string, digest: string): boolean {
    return this.sql.delete.run(repository, digest).changes > 0;
  }
}
