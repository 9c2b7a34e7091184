import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { firstBytes } from './follow-landing';

/** A source like an HTTP response body: destroyed before its end, it fails ("aborted"). */
function bodyOf(chunks: string[]): Readable {
  const source = Readable.from(chunks.map((c) => Buffer.from(c)));
  const destroy = source._destroy.bind(source);
  source._destroy = (err, callback) =>
    destroy(err ?? (source.readableEnded ? null : new Error('aborted')), callback);
  return source;
}

describe('firstBytes', () => {
  it('gives the first bytes and ends, though the source fails when it is cut', async () => {
    const source = bodyOf(['abcd', 'efgh', 'ijkl']);
    expect(await text(firstBytes(source, 6))).toBe('abcdef');
    expect(source.destroyed).toBe(true);
  });

  it('gives a range that ends with the source whole', async () => {
    expect(await text(firstBytes(bodyOf(['abcd', 'efgh']), 8))).toBe('abcdefgh');
  });

  it('fails when the source ends before the range, or fails itself', async () => {
    await expect(text(firstBytes(bodyOf(['abcd']), 6))).rejects.toThrow('ended before the range');
    const failing = new Readable({ read: () => failing.destroy(new Error('ingest discarded')) });
    await expect(text(firstBytes(failing, 6))).rejects.toThrow('ingest discarded');
  });

  it('destroys the source when it is destroyed itself (the client went away)', async () => {
    const source = new Readable({ read: () => undefined });
    const out = firstBytes(source, 10);
    out.destroy();
    await new Promise((resolve) => source.once('close', resolve));
    expect(source.destroyed).toBe(true);
  });
});
