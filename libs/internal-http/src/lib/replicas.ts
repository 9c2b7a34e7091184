import { isUnreachable } from './peer-unavailable';

export { isUnreachable };

/**
 * Replicas spreads calls over several interchangeable replicas of an internal endpoint (round
 * robin) and moves on to the next one when a replica cannot be reached. `canRetry` narrows that
 * for calls that may have sent part of a stream already.
 */
export class Replicas<T> {
  private next = 0;

  constructor(readonly members: readonly T[]) {
    if (members.length === 0) throw new Error('Replicas needs at least one replica');
  }

  /** pick is the next replica in turn. */
  pick(): T {
    return this.members[this.turn()] as T;
  }

  /** call runs `op` on the next replica, then on the ones after it while the failure allows a retry. */
  async call<R>(
    op: (replica: T) => Promise<R>,
    canRetry: (err: unknown) => boolean = isUnreachable,
  ): Promise<R> {
    const first = this.turn();
    for (let i = 0; ; i += 1) {
      const replica = this.members[(first + i) % this.members.length] as T;
      try {
        return await op(replica);
      } catch (err) {
        if (i + 1 >= this.members.length || !canRetry(err)) throw err;
      }
    }
  }

  private turn(): number {
    this.next = (this.next + 1) % this.members.length;
    return this.next;
  }
}
