import type { Database, Statement } from 'better-sqlite3';
import type {
  JobBlob,
  JobBlobState,
  PullJob,
  PullJobError,
  PullJobResult,
  PullJobState,
} from '../port/pull-job.types';

interface JobRow {
  id: string;
  reference: string;
  state: PullJobState;
  created_at: string;
  updated_at: string;
  result: string | null;
  error: string | null;
}

function prepareJobStatements(db: Database) {
  const p = (text: string): Statement => db.prepare(text);
  return {
    get: p('SELECT * FROM jobs WHERE id = ?'),
    blobs: p('SELECT digest, size, state, current FROM job_blobs WHERE job_id = ? ORDER BY seq'),
    insert: p(
      `INSERT INTO jobs (id, reference, state, created_at, updated_at) VALUES (?, ?, 'running', ?, ?)`,
    ),
    insertBlob: p(`INSERT INTO job_blobs (job_id, seq, digest, size, state, current)
      VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_blobs WHERE job_id = ?), ?, ?, ?, ?)`),
    updateBlob: p('UPDATE job_blobs SET state = ?, current = ? WHERE job_id = ? AND digest = ?'),
    touch: p('UPDATE jobs SET updated_at = ? WHERE id = ?'),
    finish: p('UPDATE jobs SET state = ?, result = ?, error = ?, updated_at = ? WHERE id = ?'),
  };
}

/**
 * JobRows holds the prepared statements over `jobs` and `job_blobs`. Every method is
 * synchronous; callers compose them inside one transaction.
 */
export class JobRows {
  private readonly sql: ReturnType<typeof prepareJobStatements>;

  constructor(db: Database) {
    this.sql = prepareJobStatements(db);
  }

  /** get returns job `id` with its blobs in display order, or undefined. */
  get(id: string): PullJob | undefined {
    const row = this.sql.get.get(id) as JobRow | undefined;
    if (!row) return undefined;
    const job: PullJob = {
      id: row.id,
      reference: row.reference,
      state: row.state,
      blobs: this.sql.blobs.all(id) as JobBlob[],
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    if (row.result !== null) job.result = JSON.parse(row.result) as PullJobResult;
    if (row.error !== null) job.error = JSON.parse(row.error) as PullJobError;
    return job;
  }

  /** insert adds a running job created at `now`. */
  insert(id: string, reference: string, now: string): void {
    this.sql.insert.run(id, reference, now, now);
  }

  /** addBlob appends a blob to job `id` after the blobs it already has. */
  addBlob(id: string, blob: JobBlob): void {
    this.sql.insertBlob.run(id, id, blob.digest, blob.size, blob.state, blob.current);
  }

  /** updateBlob sets a listed blob's progress; false when the job has no such blob. */
  updateBlob(id: string, digest: string, state: JobBlobState, current: number): boolean {
    return this.sql.updateBlob.run(state, current, id, digest).changes > 0;
  }

  /** touch records that job `id` changed at `now`. */
  touch(id: string, now: string): void {
    this.sql.touch.run(now, id);
  }

  /** finish ends job `id` in `state` with its result or error. */
  finish(
    id: string,
    state: PullJobState,
    outcome: { result?: PullJobResult; error?: PullJobError },
    now: string,
  ): void {
    const json = (v: object | undefined) => (v === undefined ? null : JSON.stringify(v));
    this.sql.finish.run(state, json(outcome.result), json(outcome.error), now, id);
  }
}
