import { PassThrough, Readable } from 'node:stream';
import type { LogEntry } from '@stevedore/oci-runtime';
import { DetachFilter, parseDetachKeys } from './detach-keys';
import { logFrames, tailOf } from './log-stream';
import { demux, muxFrame, outputStreams } from './stdcopy';

describe('Docker multiplexed frames (stdcopy)', () => {
  it('writes an 8-byte header: stream, three zero bytes, big-endian length', () => {
    const frame = muxFrame(2, Buffer.from('oops\n'));
    expect([...frame.subarray(0, 8)]).toEqual([2, 0, 0, 0, 0, 0, 0, 5]);
    expect(frame.subarray(8).toString()).toBe('oops\n');
  });

  it('frames stdout and stderr apart without a TTY, and passes raw bytes with one', async () => {
    const written: Buffer[] = [];
    const out = { write: (c: Buffer) => written.push(c) };
    const framed = outputStreams(out, false);
    framed.stdout.write(Buffer.from('out'));
    framed.stderr.write(Buffer.from('err'));
    framed.stdout.write(Buffer.alloc(0));
    const frames = demux(Buffer.concat(written));
    expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
      [1, 'out'],
      [2, 'err'],
    ]);
    written.length = 0;
    outputStreams(out, true).stdout.write(Buffer.from('raw\r\n'));
    expect(Buffer.concat(written).toString()).toBe('raw\r\n');
  });

  it('drops a stream the client did not ask for', () => {
    const written: Buffer[] = [];
    const streams = outputStreams({ write: (c) => written.push(c) }, false, {
      stdout: true,
      stderr: false,
    });
    streams.stderr.write(Buffer.from('hidden'));
    expect(written).toEqual([]);
  });
});

describe('detach keys', () => {
  it("reads Docker's syntax, and refuses what it does not know in dockerd's words", () => {
    expect([...parseDetachKeys(undefined)]).toEqual([16, 17]);
    expect([...parseDetachKeys('ctrl-a,a')]).toEqual([1, 97]);
    expect([...parseDetachKeys('ctrl-@,ctrl-_,DEL')]).toEqual([0, 31, 127]);
    expect(() => parseDetachKeys('ctrl-aa')).toThrow('Invalid detach keys (ctrl-aa) provided');
  });

  const run = async (keys: string, chunks: string[]) => {
    const filter = new DetachFilter(parseDetachKeys(keys));
    const input = new PassThrough();
    let detached = false;
    filter.on('detach', () => (detached = true));
    const out: Buffer[] = [];
    filter.on('data', (c: Buffer) => out.push(c));
    input.pipe(filter);
    for (const c of chunks) {
      input.write(Buffer.from(c, 'latin1'));
      await new Promise((resolve) => setImmediate(resolve));
    }
    input.end();
    await new Promise((resolve) => setImmediate(resolve));
    return { detached, text: Buffer.concat(out).toString('latin1') };
  };

  it('detaches on the keys typed one by one and passes what came before', async () => {
    expect(await run('', ['ls\n', '\x10', '\x11', 'never'])).toEqual({
      detached: true,
      text: 'ls\n',
    });
  });

  it('releases a held key when the sequence does not complete', async () => {
    expect(await run('ctrl-a,a', ['\x01', 'b'])).toEqual({ detached: false, text: '\x01b' });
    expect(await run('', ['\x10'])).toEqual({ detached: false, text: '\x10' });
  });

  it('takes the keys inside a larger chunk of piped input as data', async () => {
    expect(await run('', ['a\x10\x11b'])).toEqual({ detached: false, text: 'a\x10\x11b' });
  });
});

describe('log frames', () => {
  const entry = (stream: 'stdout' | 'stderr', text: string, partial = false): LogEntry => ({
    time: new Date('2026-12-03T05:15:52.123Z'),
    timestamp: '2026-12-03T05:15:52.123456789Z',
    stream,
    data: Buffer.from(text),
    partial,
  });
  const collect = async (gen: AsyncGenerator<Buffer>) => {
    const out: Buffer[] = [];
    for await (const c of gen) out.push(c);
    return Buffer.concat(out);
  };

  it('prefixes each line with its timestamp, a partial record continuing its line', async () => {
    const entries = Readable.from([entry('stdout', 'ab', true), entry('stdout', 'c\n')]);
    const bytes = await collect(
      logFrames(entries, { stdout: true, stderr: true, timestamps: true }, true),
    );
    expect(bytes.toString()).toBe('2026-12-03T05:15:52.123456789Z abc\n');
  });

  it('frames by stream and keeps only the streams asked for', async () => {
    const entries = () => Readable.from([entry('stdout', 'o\n'), entry('stderr', 'e\n')]);
    const both = demux(
      await collect(logFrames(entries(), { stdout: true, stderr: true, timestamps: false }, false)),
    );
    expect(both.map((f) => [f.stream, f.payload.toString()])).toEqual([
      [1, 'o\n'],
      [2, 'e\n'],
    ]);
    const errOnly = demux(
      await collect(
        logFrames(entries(), { stdout: false, stderr: true, timestamps: false }, false),
      ),
    );
    expect(errOnly.map((f) => f.stream)).toEqual([2]);
  });

  it('reads tail as a count, anything else as all', () => {
    expect(tailOf('3')).toBe(3);
    expect(tailOf('all')).toBeUndefined();
    expect(tailOf('-1')).toBeUndefined();
  });
});
