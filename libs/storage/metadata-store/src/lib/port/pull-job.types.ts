import type { ErrorCode } from '@stevedore/domain';

/**
 * JobBlobState is where one blob of a pull job stands, in the order Docker's progress shows it:
 * `pending` (Waiting), `downloading`, `verifying` (Verifying Checksum), `complete` (Download
 * complete), `exists` (Already exists) — or `failed`.
 */
export type JobBlobState =
  'pending' | 'downloading' | 'verifying' | 'complete' | 'exists' | 'failed';

/** JOB_BLOB_STATES lists every {@link JobBlobState}, for validation. */
export const JOB_BLOB_STATES: readonly JobBlobState[] = [
  'pending',
  'downloading',
  'verifying',
  'complete',
  'exists',
  'failed',
];

/** PullJobState is `running` until {@link PullJobOutcome} ends the job as `succeeded` or `failed`. */
export type PullJobState = 'running' | 'succeeded' | 'failed';

/** JobBlob is the progress of one blob of a pull job. */
export interface JobBlob {
  digest: string;
  /** Expected size in bytes (0 when not yet known). */
  size: number;
  state: JobBlobState;
  /** Bytes transferred so far. */
  current: number;
}

/** PullJobResult is what a successful pull produced. */
export interface PullJobResult {
  imageId: string;
  /** The manifest or index digest the reference resolved to. */
  digest?: string;
  /** True when the image or its tag changed ("Downloaded newer image"). */
  changed?: boolean;
}

/** PullJobError is why a pull failed, as a domain error code and its user-facing message. */
export interface PullJobError {
  code: ErrorCode;
  message: string;
}

/** PullJobOutcome ends a job: exactly one of a result or an error. */
export type PullJobOutcome =
  { result: PullJobResult; error?: never } | { error: PullJobError; result?: never };

/** NewPullJob describes a pull job to create. */
export interface NewPullJob {
  /** Caller-chosen id (so a redelivered command finds its job); a random UUID when absent. */
  id?: string;
  /** The fully qualified reference being pulled. */
  reference: string;
  /** The blobs already known to be needed, in display order. */
  blobs: { digest: string; size: number }[];
}

/** PullJob is a pull in progress or finished, with per-blob progress in creation order. */
export interface PullJob {
  id: string;
  reference: string;
  state: PullJobState;
  blobs: JobBlob[];
  /** ISO 8601 times of creation and of the last change. */
  createdAt: string;
  updatedAt: string;
  result?: PullJobResult;
  error?: PullJobError;
}
