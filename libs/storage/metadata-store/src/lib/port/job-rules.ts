import { DomainError } from '@stevedore/domain';
import type { NewPullJob, PullJob, PullJobOutcome, PullJobState } from './pull-job.types';
import { assertBlobDigest } from './validation';

/** requireRunningJob returns `job`, or throws NOT_FOUND when it is missing and CONFLICT once it finished. */
export function requireRunningJob(job: PullJob | undefined, jobId: string): PullJob {
  if (!job) throw DomainError.notFound(`no such pull job: ${jobId}`, { jobId });
  if (job.state !== 'running')
    throw DomainError.conflict(`pull job ${jobId} already ${job.state}`, { jobId });
  return job;
}

/** assertNewJob checks a job to create: a non-empty reference and valid, distinct blob digests and sizes. */
export function assertNewJob(job: NewPullJob): void {
  if (job.id !== undefined && job.id.trim() === '')
    throw DomainError.invalidArgument('pull job id must not be empty');
  if (job.reference.trim() === '')
    throw DomainError.invalidArgument('pull job reference must not be empty');
  const seen = new Set<string>();
  for (const blob of job.blobs) {
    assertBlobDigest(blob.digest);
    if (!Number.isSafeInteger(blob.size) || blob.size < 0)
      throw DomainError.invalidArgument(`invalid size of ${blob.digest}`);
    if (seen.has(blob.digest))
      throw DomainError.invalidArgument(`blob ${blob.digest} listed twice`);
    seen.add(blob.digest);
  }
}

/** outcomeState is the state a job ends in: `succeeded` with a result, `failed` with an error. */
export function outcomeState(outcome: PullJobOutcome): PullJobState {
  if (outcome.result && !outcome.error) return 'succeeded';
  if (outcome.error && !outcome.result) return 'failed';
  throw DomainError.invalidArgument('a pull job ends with exactly one of a result or an error');
}
