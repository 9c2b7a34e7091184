import { createHash } from 'node:crypto';
import { Descriptor, Digest, MediaType } from '@stevedore/domain';
import { RegistryHandle, randomBlobStream, startRegistry } from '@stevedore/testing';
import { HashingSink } from '../../test/sinks';
import { RegistryClient } from '../client';

const SIZE = 200 * 1024 * 1024;
const SEED = 424242;
const LIMIT = 100 * 1024 * 1024;

let registry: RegistryHandle;
let client: RegistryClient;
let desc: Descriptor;

/** peakRss runs `work` while sampling the resident set size, and returns the highest sample. */
async function peakRss(work: () => Promise<unknown>): Promise<number> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss);
}

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient();
  // The digest comes from a first pass over the generator: the blob never exists in memory as a whole.
  const hash = createHash('sha256');
  for await (const chunk of randomBlobStream(SIZE, SEED)) hash.update(chunk as Buffer);
  desc = {
    mediaType: MediaType.OciLayer,
    digest: Digest.parse(`sha256:${hash.digest('hex')}`),
    size: SIZE,
  };
}, 60_000);

afterAll(async () => {
  await client?.close();
  await registry?.stop();
});

describe('streaming a 200 MB blob', () => {
  it('pushes it generated on the fly with RSS growth under 100 MB', async () => {
    const baseline = process.memoryUsage().rss;
    const peak = await peakRss(() =>
      client.pushBlob(`${registry.host}/test/big`, desc, () => randomBlobStream(SIZE, SEED)),
    );
    expect(peak - baseline).toBeLessThan(LIMIT);
    await expect(client.blobExists(`${registry.host}/test/big`, desc)).resolves.toBe(true);
  }, 90_000);

  it('pulls it back verified with RSS growth under 100 MB', async () => {
    const sink = new HashingSink();
    const baseline = process.memoryUsage().rss;
    const peak = await peakRss(() => client.copyBlob(`${registry.host}/test/big`, desc, sink));
    expect(peak - baseline).toBeLessThan(LIMIT);
    expect(sink.digest()).toBe(desc.digest.toString());
    expect(sink.offset).toBe(SIZE);
  }, 90_000);
});
