import type { Database } from 'better-sqlite3';
import { DomainError } from '@stevedore/domain';

/*
 * Schema of the metadata database. `PRAGMA user_version` holds the number of migrations applied;
 * each entry of MIGRATIONS moves the schema one version up and never changes once released.
 *
 *   images       one row per image (id = config digest); manifests and labels as JSON columns
 *   refs         tag (`name:tag`) and digest (`name@digest`) references → image, deleted with it
 *   image_blobs  every blob an image refers to (manifest, index, config, layers), for GC queries
 *
 * Version 2 adds `images.content_layers`: the image's layers by content (DiffID and smallest blob
 * size, JSON), derived from its manifests and config when they are written, so a listing of every
 * image reads neither. Rows written before it hold NULL there and are derived when read.
 *
 * Version 3 adds the repository manifests `/v2/` keeps beside images (artifacts, and manifests
 * with a `subject`), looked up by subject for the referrers API, and their blobs for GC:
 *
 *   repo_manifests       (repository, digest) → media type, size, artifact type, subject,
 *                        annotations, the image it was recorded as (deleted with it)
 *   repo_manifest_blobs  every blob a repository manifest names, itself included
 *   repo_manifest_tags   tags of a repository that name one of its repository manifests
 *
 * Before the first release, version 1 also created `jobs` and `job_blobs` for a pull-job API that
 * no service used; it was removed. Files created then still have those tables: nothing reads
 * them, and they are left alone.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE images (
    id            TEXT PRIMARY KEY,
    created       TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    last_tag_time TEXT,
    size          INTEGER NOT NULL,
    labels        TEXT NOT NULL CHECK (json_valid(labels)),
    os            TEXT NOT NULL,
    architecture  TEXT NOT NULL,
    variant       TEXT,
    config_json   TEXT NOT NULL,
    manifests     TEXT NOT NULL CHECK (json_valid(manifests))
  ) STRICT;
  CREATE TABLE refs (
    ref      TEXT PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('tag', 'digest')),
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX refs_by_image ON refs(image_id);
  CREATE TABLE image_blobs (
    digest   TEXT NOT NULL,
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    PRIMARY KEY (digest, image_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX image_blobs_by_image ON image_blobs(image_id);
  `,
  `
  ALTER TABLE images ADD COLUMN content_layers TEXT CHECK (json_valid(content_layers));
  `,
  `
  CREATE TABLE repo_manifests (
    repository    TEXT NOT NULL,
    digest        TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    artifact_type TEXT,
    subject       TEXT,
    annotations   TEXT CHECK (annotations IS NULL OR json_valid(annotations)),
    image_id      TEXT REFERENCES images(id) ON DELETE CASCADE,
    blobs         TEXT NOT NULL CHECK (json_valid(blobs)),
    PRIMARY KEY (repository, digest)
  ) STRICT;
  CREATE INDEX repo_manifests_by_subject ON repo_manifests(repository, subject, artifact_type)
    WHERE subject IS NOT NULL;
  CREATE INDEX repo_manifests_by_image ON repo_manifests(image_id) WHERE image_id IS NOT NULL;
  CREATE TABLE repo_manifest_blobs (
    digest     TEXT NOT NULL,
    repository TEXT NOT NULL,
    manifest   TEXT NOT NULL,
    PRIMARY KEY (digest, repository, manifest),
    FOREIGN KEY (repository, manifest) REFERENCES repo_manifests(repository, digest) ON DELETE CASCADE
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX repo_manifest_blobs_by_manifest ON repo_manifest_blobs(repository, manifest);
  CREATE TABLE repo_manifest_tags (
    repository TEXT NOT NULL,
    tag        TEXT NOT NULL,
    digest     TEXT NOT NULL,
    PRIMARY KEY (repository, tag),
    FOREIGN KEY (repository, digest) REFERENCES repo_manifests(repository, digest) ON DELETE CASCADE
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX repo_manifest_tags_by_manifest ON repo_manifest_tags(repository, digest);
  `,
];

/** SCHEMA_VERSION is the `user_version` a fully migrated database has. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * migrate brings `db` up to {@link SCHEMA_VERSION}, one transaction per migration; throws
 * UNSUPPORTED for a database written by a newer build (its schema is unknown to us).
 */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw DomainError.unsupported(
      `metadata database schema v${current} is newer than this build supports (v${SCHEMA_VERSION})`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    const sql = MIGRATIONS[version] ?? '';
    db.transaction(() => {
      db.exec(sql);
      // PRAGMA cannot take a bound parameter; `version` is our own integer.
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
