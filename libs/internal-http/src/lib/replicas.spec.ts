import { Replicas, isUnreachable } from './replicas';

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('Replicas', () => {
  it('takes the replicas in turn', () => {
    const replicas = new Replicas(['a', 'b', 'c']);
    expect([1, 2, 3, 4].map(() => replicas.pick())).toEqual(['b', 'c', 'a', 'b']);
  });

  it('moves on to the next replica when one cannot be reached, and only then', async () => {
    const replicas = new Replicas(['down', 'up']);
    const tried: string[] = [];
    const answer = await replicas.call(async (r) => {
      tried.push(r);
      if (r === 'down') throw refused;
      return `from ${r}`;
    });
    expect(answer).toBe('from up');
    expect(tried).toEqual(['up']);
    const again = await replicas.call(async (r) => {
      tried.push(r);
      if (r === 'down') throw refused;
      return `from ${r}`;
    });
    expect(again).toBe('from up');
    expect(tried).toEqual(['up', 'down', 'up']);
    await expect(
      replicas.call(async () => {
        throw new Error('an answer, not an outage');
      }),
    ).rejects.toThrow('an answer, not an outage');
  });

  it('gives up after every replica failed, or when the caller forbids a retry', async () => {
    const replicas = new Replicas(['x', 'y']);
    let calls = 0;
    const fail = async () => {
      calls += 1;
      throw refused;
    };
    await expect(replicas.call(fail)).rejects.toBe(refused);
    expect(calls).toBe(2);
    await expect(replicas.call(fail, () => false)).rejects.toBe(refused);
    expect(calls).toBe(3);
  });

  it('refuses an empty set, and tells outages by their code', () => {
    expect(() => new Replicas([])).toThrow('at least one replica');
    expect(isUnreachable(refused)).toBe(true);
    expect(isUnreachable(new Error('x'))).toBe(false);
    expect(isUnreachable(undefined)).toBe(false);
  });
});
