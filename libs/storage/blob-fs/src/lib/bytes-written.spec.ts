import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Digest } from '@stevedore/domain';
import { FsBlobStore } from './fs-blob-store';

describe('FsBlobStore onBytesWritten', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'blob-fs-written-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('hears the size of every chunk an ingest writes', async () => {
    const written: number[] = [];
    const store = new FsBlobStore(root, { onBytesWritten: (bytes) => written.push(bytes) });
    const chunks = [Buffer.from('hello, '), Buffer.from('content '), Buffer.from('store')];
    const whole = Buffer.concat(chunks);
    const ingest = await store.ingest({ digest: Digest.fromBytes(whole), size: whole.length });
    for (const chunk of chunks) await ingest.write(chunk);
    await ingest.commit();
    expect(written).toEqual(chunks.map((c) => c.length));
  });
});
