import { ByteReader } from './byte-reader';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function text(source: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of source) out += Buffer.from(chunk).toString();
  return out;
}

describe('ByteReader', () => {
  it('cuts a stream into pieces of exact lengths across chunk boundaries', async () => {
    const reader = new ByteReader(chunks('abc', 'defgh', 'ij')[Symbol.asyncIterator]());
    expect([
      await text(reader.take(4)),
      await text(reader.take(4)),
      await text(reader.take(2)),
    ]).toEqual(['abcd', 'efgh', 'ij']);
    await expect(reader.finish()).resolves.toBeUndefined();
  });

  it('refuses a source shorter or longer than announced', async () => {
    const short = new ByteReader(chunks('abc')[Symbol.asyncIterator]());
    await expect(text(short.take(4))).rejects.toThrow('blob source ended before its size');
    const long = new ByteReader(chunks('abc', 'd')[Symbol.asyncIterator]());
    await text(long.take(3));
    await expect(long.finish()).rejects.toThrow('blob source yielded more bytes than its size');
  });
});
