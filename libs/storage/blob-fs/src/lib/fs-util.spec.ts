import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsyncDir } from './fs-util';

// Counts the directory opens (one per fsync) while doing them for real.
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, open: jest.fn(actual.open) };
});

describe('fsyncDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blob-fs-sync-'));
  });
  afterEach(async () => {
    jest.mocked(open).mockClear();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves every caller that arrives while one fsync runs with the single next one', async () => {
    const opened = jest.mocked(open);
    opened.mockClear();
    const first = fsyncDir(dir);
    const waiting = [fsyncDir(dir), fsyncDir(dir), fsyncDir(dir)];
    await Promise.all([first, ...waiting]);
    expect(opened).toHaveBeenCalledTimes(2);
    // Once they are done, the next caller starts an fsync of its own at once.
    await fsyncDir(dir);
    expect(opened).toHaveBeenCalledTimes(3);
  });

  it('starts no later fsync before the running one ends', async () => {
    const order: string[] = [];
    const first = fsyncDir(dir).then(() => order.push('first'));
    const second = fsyncDir(dir).then(() => order.push('second'));
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
