import { Logger } from '@nestjs/common';
import { rmdir } from 'node:fs/promises';
import { internalErrorMessage, logUnexpected } from './unexpected-error';

describe('logUnexpected', () => {
  it('logs a system error with its code, message and stack under the id it answers', async () => {
    const logged: unknown[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((m: unknown) => {
      logged.push(m);
    });
    try {
      const err = await rmdir('/nonexistent-stevedore-dir').catch((e: unknown) => e);
      const errorId = logUnexpected('a test', err);
      expect(internalErrorMessage(errorId)).toBe(`internal error (errorId ${errorId})`);
      expect(logged).toEqual([
        expect.objectContaining({
          msg: 'unexpected error in a test',
          errorId,
          code: 'ENOENT',
          err: expect.stringContaining('ENOENT'),
          stack: expect.stringContaining('rmdir'),
        }),
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});
