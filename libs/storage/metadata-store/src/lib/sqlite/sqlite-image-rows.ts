import type { Database, Statement } from 'better-sqlite3';
import type { ImageManifestRecord, ImageRecord, ImageSummaryRecord } from '@stevedore/contracts';
import { ContentLayer, contentLayers } from '@stevedore/domain';
import type { NewImage } from '../port/metadata-store.port';
import { compareStrings } from '../port/validation';

/** RefKind tells a tag (`name:tag`) from a digest reference (`name@digest`). */
export type RefKind = 'tag' | 'digest';

interface ImageRow {
  id: string;
  created: string;
  added_at: string;
  last_tag_time: string | null;
  size: number;
  labels: string;
  os: string;
  architecture: string;
  variant: string | null;
  config_json: string;
  manifests: string;
}

/** SummaryRow is the summary columns of an image; config and manifests only for a row without `content_layers`. */
interface SummaryRow {
  id: string;
  created: string;
  size: number;
  labels: string;
  content_layers: string | null;
  config_json: string | null;
  manifests: string | null;
}

interface RefRow {
  ref: string;
  kind: RefKind;
  image_id: string;
}

/** The columns of a {@link SummaryRow}; rows from before `content_layers` hand over what it is derived from instead. */
const SUMMARY_COLUMNS = `id, created, size, labels, content_layers,
  iif(content_layers IS NULL, config_json, NULL) AS config_json,
  iif(content_layers IS NULL, manifests, NULL) AS manifests`;

function prepareImageStatements(db: Database) {
  const p = (text: string): Statement => db.prepare(text);
  return {
    get: p('SELECT * FROM images WHERE id = ?'),
    range: p('SELECT * FROM images WHERE id >= ? AND id < ?'),
    all: p('SELECT * FROM images'),
    summaries: p(`SELECT ${SUMMARY_COLUMNS} FROM images`),
    summariesSince: p(`SELECT ${SUMMARY_COLUMNS} FROM images WHERE seq > ?`),
    insert:
      p(`INSERT INTO images (id, created, added_at, last_tag_time, size, labels, os, architecture, variant, config_json, manifests, content_layers)
      VALUES (@id, @created, @added_at, NULL, @size, @labels, @os, @architecture, @variant, @config_json, @manifests, @content_layers)`),
    setManifests: p('UPDATE images SET manifests = ?, content_layers = ? WHERE id = ?'),
    setLastTagTime: p('UPDATE images SET last_tag_time = ? WHERE id = ?'),
    delete: p('DELETE FROM images WHERE id = ?'),
    refTarget: p('SELECT image_id FROM refs WHERE ref = ? AND kind = ?'),
    refsOf: p('SELECT ref, kind, image_id FROM refs WHERE image_id = ?'),
    allRefs: p('SELECT ref, kind, image_id FROM refs'),
    upsertRef: p(`INSERT INTO refs (ref, kind, image_id) VALUES (?, ?, ?)
      ON CONFLICT (ref) DO UPDATE SET image_id = excluded.image_id, kind = excluded.kind`),
    deleteRef: p('DELETE FROM refs WHERE ref = ? AND kind = ? RETURNING image_id'),
    addBlob: p('INSERT OR IGNORE INTO image_blobs (digest, image_id) VALUES (?, ?)'),
    // One JSON array parameter instead of a variable-length IN list keeps the statement prepared once.
    // Repository manifests (artifacts) hold their blobs as images do.
    referenced: p(`SELECT digest FROM image_blobs WHERE digest IN (SELECT value FROM json_each(@d))
      UNION SELECT digest FROM repo_manifest_blobs WHERE digest IN (SELECT value FROM json_each(@d))`),
  };
}

/**
 * ImageRows holds the prepared statements over `images`, `refs` and `image_blobs` and maps rows
 * to records. Every method is synchronous; callers compose them inside one transaction.
 */
export class ImageRows {
  private readonly sql: ReturnType<typeof prepareImageStatements>;

  constructor(db: Database) {
    this.sql = prepareImageStatements(db);
  }

  /** get returns image `id` with its references, or undefined. */
  get(id: string): ImageRecord | undefined {
    const row = this.sql.get.get(id) as ImageRow | undefined;
    return row && toRecord(row, this.sql.refsOf.all(id) as RefRow[]);
  }

  /** inRange returns the images whose id lies in `[from, to)`, with their references. */
  inRange(from: string, to: string): ImageRecord[] {
    const rows = this.sql.range.all(from, to) as ImageRow[];
    return rows.map((row) => toRecord(row, this.sql.refsOf.all(row.id) as RefRow[]));
  }

  /** all returns every image with its references (two queries, whatever the number of images). */
  all(): ImageRecord[] {
    const refs = this.refsByImage();
    return (this.sql.all.all() as ImageRow[]).map((row) => toRecord(row, refs.get(row.id) ?? []));
  }

  /** summaries returns every image's summary columns with its references (two queries). */
  summaries(): ImageSummaryRecord[] {
    const refs = this.refsByImage();
    return (this.sql.summaries.all() as SummaryRow[]).map((row) =>
      toSummary(row, refs.get(row.id) ?? []),
    );
  }

  /** summariesSince returns the summary of every image changed after listing change `seq` (schema 4). */
  summariesSince(seq: number): ImageSummaryRecord[] {
    return (this.sql.summariesSince.all(seq) as SummaryRow[]).map((row) =>
      toSummary(row, this.sql.refsOf.all(row.id) as RefRow[]),
    );
  }

  /** insert adds a new image row (no references yet). */
  insert(image: NewImage): void {
    this.sql.insert.run({
      id: image.id,
      created: image.created,
      added_at: image.addedAt,
      size: image.size,
      labels: JSON.stringify(image.labels),
      os: image.os,
      architecture: image.architecture,
      variant: image.variant ?? null,
      config_json: image.configJson,
      manifests: JSON.stringify(image.manifests),
      content_layers: JSON.stringify(contentLayers(image.manifests, image.configJson)),
    });
  }

  /** setManifests replaces the manifests of image `id` (whose config is `configJson`). */
  setManifests(id: string, manifests: readonly ImageManifestRecord[], configJson: string): void {
    const layers = JSON.stringify(contentLayers(manifests, configJson));
    this.sql.setManifests.run(JSON.stringify(manifests), layers, id);
  }

  /** setLastTagTime records when image `id` was last tagged. */
  setLastTagTime(id: string, at: string): void {
    this.sql.setLastTagTime.run(at, id);
  }

  /** delete removes image `id`; its references and blob rows go with it (ON DELETE CASCADE). */
  delete(id: string): void {
    this.sql.delete.run(id);
  }

  /** refTarget returns the id of the image `ref` points at, or undefined. */
  refTarget(ref: string, kind: RefKind): string | undefined {
    return (this.sql.refTarget.get(ref, kind) as { image_id: string } | undefined)?.image_id;
  }

  /** pointRef points `ref` at image `id`, replacing whatever it pointed at. */
  pointRef(ref: string, kind: RefKind, id: string): void {
    this.sql.upsertRef.run(ref, kind, id);
  }

  /** deleteRef removes `ref` and returns the id of the image it pointed at, or undefined. */
  deleteRef(ref: string, kind: RefKind): string | undefined {
    return (this.sql.deleteRef.get(ref, kind) as { image_id: string } | undefined)?.image_id;
  }

  /** addBlobs records that image `id` refers to `digests`. */
  addBlobs(id: string, digests: readonly string[]): void {
    for (const digest of digests) this.sql.addBlob.run(digest, id);
  }

  /** refsByImage groups every reference by the image it points at. */
  private refsByImage(): Map<string, RefRow[]> {
    const refs = new Map<string, RefRow[]>();
    for (const ref of this.sql.allRefs.all() as RefRow[]) {
      // Appended in place: copying the list per reference was quadratic in an image's tags.
      const list = refs.get(ref.image_id);
      if (list) list.push(ref);
      else refs.set(ref.image_id, [ref]);
    }
    return refs;
  }

  /** referenced returns the subset of `digests` some image or repository manifest refers to (unordered). */
  referenced(digests: readonly string[]): Set<string> {
    const rows = this.sql.referenced.all({ d: JSON.stringify(digests) }) as { digest: string }[];
    return new Set(rows.map((r) => r.digest));
  }
}

function toSummary(row: SummaryRow, refs: readonly RefRow[]): ImageSummaryRecord {
  const layers =
    row.content_layers === null
      ? contentLayers(
          JSON.parse(row.manifests ?? '[]') as ImageManifestRecord[],
          row.config_json ?? '',
        )
      : (JSON.parse(row.content_layers) as ContentLayer[]);
  return {
    id: row.id,
    ...refLists(refs),
    created: row.created,
    size: row.size,
    labels: JSON.parse(row.labels) as Record<string, string>,
    layers,
  };
}

/** refLists splits an image's references into tags and digest references, each sorted. */
function refLists(refs: readonly RefRow[]): { repoTags: string[]; repoDigests: string[] } {
  const sorted = refs.length < 2 ? refs : [...refs].sort((a, b) => compareStrings(a.ref, b.ref));
  return {
    repoTags: sorted.filter((r) => r.kind === 'tag').map((r) => r.ref),
    repoDigests: sorted.filter((r) => r.kind === 'digest').map((r) => r.ref),
  };
}

function toRecord(row: ImageRow, refs: readonly RefRow[]): ImageRecord {
  const record: ImageRecord = {
    id: row.id,
    ...refLists(refs),
    manifests: JSON.parse(row.manifests) as ImageManifestRecord[],
    created: row.created,
    addedAt: row.added_at,
    size: row.size,
    labels: JSON.parse(row.labels) as Record<string, string>,
    os: row.os,
    architecture: row.architecture,
    configJson: row.config_json,
  };
  if (row.last_tag_time !== null) record.lastTagTime = row.last_tag_time;
  if (row.variant !== null) record.variant = row.variant;
  return record;
}
