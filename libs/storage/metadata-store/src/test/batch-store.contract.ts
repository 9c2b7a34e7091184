import type { BatchStore } from '../lib/port/batch-store.port';

/** A clock the suite moves by hand, so lease expiry and staleness are tested without waiting. */
export interface TestClock {
  now: () => Date;
}

/**
 * describeBatchStoreContract is the conformance suite of the BatchStore port: every adapter
 * (SQLite always, MongoDB when a server is given) must pass it unchanged.
 */
export function describeBatchStoreContract(
  name: string,
  open: (clock: TestClock) => Promise<BatchStore>,
): void {
  describe(`BatchStore contract: ${name}`, () => {
    let now = new Date('2026-11-28T10:00:00Z');
    let store: BatchStore;
    const advance = (ms: number) => (now = new Date(now.getTime() + ms));

    beforeEach(async () => {
      now = new Date('2026-11-28T10:00:00Z');
      store = await open({ now: () => now });
    });
    afterEach(() => store.close());

    it('creates a batch with every item queued and counts them', async () => {
      const batch = await store.createBatch(
        ['docker.io/library/a:1', 'docker.io/library/b:1'],
        'linux/arm64',
      );
      expect(batch).toMatchObject({
        platform: 'linux/arm64',
        totals: { queued: 2, running: 0, done: 0 },
      });
      expect(batch.items.map((i) => [i.index, i.reference, i.state])).toEqual([
        [0, 'docker.io/library/a:1', 'queued'],
        [1, 'docker.io/library/b:1', 'queued'],
      ]);
    });

    it('lets one worker claim an item; a live worker keeps it, a silent one loses it', async () => {
      const { id } = await store.createBatch(['docker.io/library/a:1']);
      expect(await store.claimItem(id, 0, 30_000)).toEqual({
        claimed: true,
        attempts: 1,
        state: 'running',
      });
      expect(await store.claimItem(id, 0, 30_000)).toEqual({
        claimed: false,
        attempts: 1,
        state: 'running',
      });
      advance(10_000);
      await store.updateItem(id, 0, { state: 'running', current: 5, total: 10 });
      advance(25_000);
      expect((await store.claimItem(id, 0, 30_000)).claimed).toBe(false);
      advance(10_000);
      expect(await store.claimItem(id, 0, 30_000)).toEqual({
        claimed: true,
        attempts: 2,
        state: 'running',
      });
    });

    it('finishes the batch when no item is left open, keeping the last error of a failed item', async () => {
      const { id } = await store.createBatch(['docker.io/library/a:1', 'docker.io/library/b:1']);
      await store.claimItem(id, 0, 30_000);
      await store.updateItem(id, 0, { state: 'done', imageId: 'sha256:' + 'a'.repeat(64) });
      expect((await store.getBatch(id))?.finishedAt).toBeUndefined();
      await store.claimItem(id, 1, 30_000);
      await store.updateItem(id, 1, {
        state: 'failed',
        error: { code: 'NOT_FOUND', message: 'manifest unknown' },
      });
      const batch = await store.getBatch(id);
      expect(batch?.finishedAt).toBe(now.toISOString());
      expect(batch?.items[1]).toMatchObject({
        state: 'failed',
        error: { code: 'NOT_FOUND', message: 'manifest unknown' },
      });
      // A late progress report from a stale attempt does not reopen a finished item.
      await store.updateItem(id, 0, { state: 'running', current: 1 });
      expect((await store.getBatch(id))?.items[0]?.state).toBe('done');
    });

    it('cancels only what has not started', async () => {
      const { id } = await store.createBatch(['docker.io/library/a:1', 'docker.io/library/b:1']);
      await store.claimItem(id, 0, 30_000);
      const batch = await store.cancelBatch(id);
      expect(batch.items.map((i) => i.state)).toEqual(['running', 'cancelled']);
      expect((await store.claimItem(id, 1, 30_000)).claimed).toBe(false);
      await expect(store.cancelBatch('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject(
        { code: 'NOT_FOUND' },
      );
    });

    it('grants a lease to one holder until it expires or is released', async () => {
      expect(await store.acquireLease('blob:x', 'a', 15_000)).toMatchObject({
        acquired: true,
        holder: 'a',
      });
      expect(await store.acquireLease('blob:x', 'b', 15_000)).toMatchObject({
        acquired: false,
        holder: 'a',
      });
      advance(10_000);
      expect((await store.acquireLease('blob:x', 'a', 15_000)).acquired).toBe(true); // heartbeat
      advance(10_000);
      expect((await store.acquireLease('blob:x', 'b', 15_000)).acquired).toBe(false);
      advance(6_000);
      expect(await store.acquireLease('blob:x', 'b', 15_000)).toMatchObject({
        acquired: true,
        holder: 'b',
      });
      await store.releaseLease('blob:x', 'a'); // not the holder: no effect
      expect((await store.acquireLease('blob:x', 'c', 15_000)).acquired).toBe(false);
      await store.releaseLease('blob:x', 'b');
      expect((await store.acquireLease('blob:x', 'c', 15_000)).acquired).toBe(true);
    });
  });
}
