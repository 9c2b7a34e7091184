import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { DomainError } from '@stevedore/domain';
import { assertNewJob, outcomeState, requireRunningJob } from '../port/job-rules';
import type { JobBlobState, NewPullJob, PullJob, PullJobOutcome } from '../port/pull-job.types';
import { assertBlobDigest, assertJobProgress } from '../port/validation';
import type { JobDoc } from './mongo-schemas';

/**
 * MongoJobs keeps pull jobs as one document each, blobs embedded: every change is a single
 * conditional update (`state: 'running'`), atomic without a transaction.
 */
export class MongoJobs {
  constructor(
    private readonly jobs: Model<JobDoc>,
    private readonly now: () => Date,
  ) {}

  /** create inserts a running job; CONFLICT when the id is taken. */
  async create(job: NewPullJob): Promise<PullJob> {
    assertNewJob(job);
    const id = job.id ?? randomUUID();
    const at = this.now().toISOString();
    const blobs = job.blobs.map((b) => ({
      digest: b.digest,
      size: b.size,
      state: 'pending' as const,
      current: 0,
    }));
    try {
      await this.jobs.insertMany([
        {
          _id: id,
          reference: job.reference,
          state: 'running',
          createdAt: at,
          updatedAt: at,
          blobs,
        },
      ]);
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000)
        throw DomainError.conflict(`pull job ${id} already exists`, { jobId: id });
      throw error;
    }
    return this.mustGet(id);
  }

  /** updateBlob sets one blob's progress, appending the blob when the job does not list it yet. */
  async updateBlob(
    jobId: string,
    digest: string,
    state: JobBlobState,
    current: number,
  ): Promise<PullJob> {
    assertBlobDigest(digest);
    assertJobProgress(state, current);
    const updatedAt = this.now().toISOString();
    // Two conditional updates: one for a listed blob, one that appends; a concurrent append
    // between them makes both miss, so try once more before deciding the job is gone or done.
    for (let attempt = 0; attempt < 2; attempt++) {
      const listed = await this.jobs
        .findOneAndUpdate(
          { _id: jobId, state: 'running', 'blobs.digest': digest },
          { $set: { 'blobs.$.state': state, 'blobs.$.current': current, updatedAt } },
          { new: true },
        )
        .lean<JobDoc>();
      if (listed) return toJob(listed);
      const appended = await this.jobs
        .findOneAndUpdate(
          { _id: jobId, state: 'running', 'blobs.digest': { $ne: digest } },
          { $push: { blobs: { digest, size: 0, state, current } }, $set: { updatedAt } },
          { new: true },
        )
        .lean<JobDoc>();
      if (appended) return toJob(appended);
      requireRunningJob(await this.get(jobId), jobId);
    }
    throw new DomainError('UNAVAILABLE', `pull job ${jobId} is being changed concurrently; retry`);
  }

  /** finish ends a running job with its outcome; NOT_FOUND or CONFLICT otherwise. */
  async finish(jobId: string, outcome: PullJobOutcome): Promise<PullJob> {
    const state = outcomeState(outcome);
    const set: Partial<JobDoc> = { state, updatedAt: this.now().toISOString() };
    if (outcome.result) set.result = outcome.result;
    if (outcome.error) set.error = outcome.error;
    const done = await this.jobs
      .findOneAndUpdate({ _id: jobId, state: 'running' }, { $set: set }, { new: true })
      .lean<JobDoc>();
    if (done) return toJob(done);
    requireRunningJob(await this.get(jobId), jobId);
    throw DomainError.internal(`pull job ${jobId} could not be finished`);
  }

  /** get returns job `jobId`, or undefined. */
  async get(jobId: string): Promise<PullJob | undefined> {
    const doc = await this.jobs.findById(jobId).lean<JobDoc>();
    return doc ? toJob(doc) : undefined;
  }

  private async mustGet(jobId: string): Promise<PullJob> {
    const job = await this.get(jobId);
    if (!job) throw DomainError.internal(`pull job ${jobId} vanished after it was created`);
    return job;
  }
}

function toJob(doc: JobDoc): PullJob {
  const job: PullJob = {
    id: doc._id,
    reference: doc.reference,
    state: doc.state,
    blobs: doc.blobs.map((b) => ({
      digest: b.digest,
      size: b.size,
      state: b.state,
      current: b.current,
    })),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
  if (doc.result) job.result = doc.result;
  if (doc.error) job.error = doc.error;
  return job;
}
