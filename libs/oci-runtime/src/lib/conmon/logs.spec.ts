import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameDecoder } from './attach';
import { parseLogLine, readLogs, type ReadLogsOptions } from './logs';

describe('readLogs (conmon k8s-file)', () => {
  let dir: string;
  let log: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'logs-'));
    log = join(dir, 'ctr.log');
    writeFileSync(
      log,
      [
        '2024-01-01T00:00:01.000000001+00:00 stdout F one',
        '2024-01-01T00:00:02.5+00:00 stderr P par',
        '2024-01-01T00:00:02.6+00:00 stderr F tial',
        '2024-01-01T00:00:03.000000003+00:00 stdout F three',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function text(opts: ReadLogsOptions = {}, path = log): Promise<string> {
    let out = '';
    for await (const e of readLogs(path, opts)) out += `${e.stream[3]}:${e.data.toString()}`;
    return out;
  }

  it('joins partial records and keeps streams', async () => {
    expect(await text()).toBe('o:one\ne:pare:tial\no:three\n');
    expect(parseLogLine('2024-01-01T00:00:02.5+00:00 stderr P par')?.timestamp).toBe(
      '2024-01-01T00:00:02.500000000Z',
    );
  });

  it('tails by lines, and filters by since/until', async () => {
    expect(await text({ tail: 2 })).toBe('e:pare:tial\no:three\n');
    expect(await text({ tail: 0 })).toBe('');
    expect(
      await text({
        since: Date.parse('2024-01-01T00:00:02Z') / 1000,
        until: Date.parse('2024-01-01T00:00:02.9Z') / 1000,
      }),
    ).toBe('e:pare:tial\n');
  });

  it('follows until the container stops, reading what came meanwhile', async () => {
    const path = join(dir, 'follow.log');
    writeFileSync(path, '');
    let resolveStop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (resolveStop = r));
    const reading = text({ follow: true, stopped, pollMs: 20 }, path);
    setTimeout(() => appendFileSync(path, '2024-01-01T00:00:04Z stdout F late\n'), 100);
    setTimeout(() => {
      appendFileSync(path, '2024-01-01T00:00:05Z stdout F last\n');
      resolveStop();
    }, 200);
    expect(await reading).toBe('o:late\no:last\n');
  });

  it('yields nothing for a missing log', async () => {
    expect(await text({}, join(dir, 'none.log'))).toBe('');
  });
});

describe('FrameDecoder', () => {
  it('splits frames whatever the chunking', () => {
    const got: string[] = [];
    const d = new FrameDecoder((id, p) => got.push(`${id}:${p.toString()}`));
    const frame = (id: number, s: string) =>
      Buffer.concat([Buffer.from([id, 0, 0, 0, s.length]), Buffer.from(s)]);
    const all = Buffer.concat([frame(2, 'abc'), frame(3, ''), frame(2, 'de')]);
    for (let i = 0; i < all.length; i++) d.push(all.subarray(i, i + 1));
    expect(got).toEqual(['2:abc', '3:', '2:de']);
  });
});
