import { assertBlobDigest } from './validation';

/** distinctDigests validates `digests` (INVALID_ARGUMENT) and drops repeats, keeping the input order. */
export function distinctDigests(digests: readonly string[]): string[] {
  digests.forEach(assertBlobDigest);
  return [...new Set(digests)];
}
