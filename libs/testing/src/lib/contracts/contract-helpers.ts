import { createHash } from 'node:crypto';

/** sha256 is the digest of a text, for test records. */
export const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** failure resolves with what `p` rejects with, and fails the test if it resolves. */
export const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
