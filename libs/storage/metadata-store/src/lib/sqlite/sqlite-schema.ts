import BetterSqlite3, { Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
 * Version 4 numbers the changes to the listing, so a caller holding a listing can be sent what
 * changed since instead of every image again. Triggers keep it, so it holds for every writer:
 *
 *   listing_state     one row: `epoch` (random, names this database's series of versions) and
 *                     `seq`, bumped by every insert, update or delete of an image or a reference
 *   images.seq        the `seq` of the last change to the image or one of its references
 *   image_tombstones  removed images with the `seq` of their removal (the last 100,000 changes')
 *
 * Before the first release, version 1 also created `jobs` and `job_blobs` for a pull-job API that
 * no service used; it was removed. Files created then still have those tables: nothing reads
 * them, and they are left alone.
 */
/**
 * TOMBSTONE_WINDOW is how many changes back a removal is remembered: a listing older than that is
 * sent whole instead of as changes.
 */
export const TOMBSTONE_WINDOW = 100_000;

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
  `
  CREATE TABLE listing_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    seq   INTEGER NOT NULL
  ) STRICT;
  INSERT INTO listing_state (id, epoch, seq) VALUES (1, lower(hex(randomblob(8))), 0);
  ALTER TABLE images ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX images_by_seq ON images(seq);
  CREATE TABLE image_tombstones (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;
  CREATE INDEX image_tombstones_by_seq ON image_tombstones(seq);
  CREATE TRIGGER images_inserted AFTER INSERT ON images BEGIN
    UPDATE listing_state SET seq = seq + 1;
    UPDATE images SET seq = (SELECT seq FROM listing_state) WHERE id = NEW.id;
    DELETE FROM image_tombstones WHERE id = NEW.id;
  END;
  CREATE TRIGGER images_updated
    AFTER UPDATE OF created, last_tag_time, size, labels, manifests, content_layers ON images
  BEGIN
    UPDATE listing_state SET seq = seq + 1;
    UPDATE images SET seq = (SELECT seq FROM listing_state) WHERE id = NEW.id;
  END;
  CREATE TRIGGER images_deleted AFTER DELETE ON images BEGIN
    UPDATE listing_state SET seq = seq + 1;
    INSERT OR REPLACE INTO image_tombstones (id, seq) VALUES (OLD.id, (SELECT seq FROM listing_state));
    DELETE FROM image_tombstones WHERE seq <= (SELECT seq FROM listing_state) - ${TOMBSTONE_WINDOW};
  END;
  CREATE TRIGGER refs_inserted AFTER INSERT ON refs BEGIN
    UPDATE listing_state SET seq = seq + 1;
    UPDATE images SET seq = (SELECT seq FROM listing_state) WHERE id = NEW.image_id;
  END;
  CREATE TRIGGER refs_updated AFTER UPDATE ON refs BEGIN
    UPDATE listing_state SET seq = seq + 1;
    UPDATE images SET seq = (SELECT seq FROM listing_state) WHERE id IN (OLD.image_id, NEW.image_id);
  END;
  CREATE TRIGGER refs_deleted AFTER DELETE ON refs BEGIN
    UPDATE listing_state SET seq = seq + 1;
    UPDATE images SET seq = (SELECT seq FROM listing_state) WHERE id = OLD.image_id;
  END;
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

/**
 * openBesideImages opens the metadata database at `path` on a connection of its own, for tables
 * kept beside the images (leases, links): it migrates the image schema (they read it; this may be
 * the first opener) and runs `schema`, which creates their tables when missing.
 */
export function openBesideImages(path: string, schema: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    db.exec(schema);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
