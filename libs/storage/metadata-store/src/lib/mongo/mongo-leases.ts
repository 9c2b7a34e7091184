import type { Connection } from 'mongoose';

interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: string;
}

/**
 * MongoLeases keeps the leases and slots of {@link BatchStore} (the fetchers' blob leases and
 * per-registry slots) in the `leases` collection: one document per key, taken with a conditional
 * upsert, so replicas need no transaction.
 */
export class MongoLeases {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => Date,
  ) {}

  private get leases() {
    return this.connection.collection<LeaseDoc>('leases');
  }

  async acquire(
    key: string,
    holder: string,
    ttlMs: number,
  ): Promise<{ acquired: boolean; holder: string; expiresAt: string }> {
    await this.take(key, holder, ttlMs);
    const doc = await this.leases.findOne({ _id: key });
    if (!doc) return this.acquire(key, holder, ttlMs); // released in between: try again
    return { acquired: doc.holder === holder, holder: doc.holder, expiresAt: doc.expiresAt };
  }

  async get(key: string): Promise<{ holder: string; expiresAt: string } | undefined> {
    const doc = await this.leases.findOne({
      _id: key,
      expiresAt: { $gte: this.now().toISOString() },
    });
    return doc ? { holder: doc.holder, expiresAt: doc.expiresAt } : undefined;
  }

  async acquireSlot(
    scope: string,
    holder: string,
    limit: number,
    ttlMs: number,
  ): Promise<string | undefined> {
    for (let i = 0; i < limit; i += 1)
      if (await this.take(`${scope}#${i}`, holder, ttlMs)) return `${scope}#${i}`;
    return undefined;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.leases.deleteOne({ _id: key, holder });
  }

  /** take: a conditional upsert; a live lease of another holder makes the insert collide (11000). */
  private async take(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.leases.updateOne(
        { _id: key, $or: [{ holder }, { expiresAt: { $lt: now.toISOString() } }] },
        { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs).toISOString() } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) return false;
      throw error;
    }
  }
}
