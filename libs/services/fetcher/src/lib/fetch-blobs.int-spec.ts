import { Digest, parseReference } from '@stevedore/domain';
import { lastValueFrom, toArray } from 'rxjs';
import { BlobProgressV1, DescriptorDto } from '@stevedore/contracts';
import { FixtureImage, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { ServiceHarness, startService } from '../test/pull-services.harness';
import { FetcherServiceModule } from './fetcher-service.module';
import { FetchBlobsUseCase } from './use-cases/fetch-blobs/fetch-blobs.use-case';

// Real registry (CNCF distribution) with real fixture images; the blob store is an in-memory fake.
let registry: RegistryHandle;
let image: FixtureImage;

beforeAll(async () => {
  registry = await startRegistry();
  image = (await pushFixtures(registry)).multiLayer;
}, 180_000);

afterAll(async () => {
  await registry?.stop();
});

describe.each(['local', 'bus'] as const)(
  'fetcher: fetch blobs from a real registry, %s coordination',
  (coordination) => {
    let service: ServiceHarness;

    beforeAll(async () => {
      service = await startService(FetcherServiceModule.forRoot({ coordination }));
    });

    afterAll(() => service?.close());

    function fetch(blobs: DescriptorDto[] = layers()): Promise<BlobProgressV1[]> {
      const fetchBlobs = service.get(FetchBlobsUseCase);
      return lastValueFrom(
        fetchBlobs.execute({ reference: parseReference(image.reference), blobs }).pipe(toArray()),
      );
    }

    it('streams queued → downloading → verifying → done for every layer, byte counts ending at its size', async () => {
      const events = await fetch();
      for (const layer of image.layers ?? []) {
        const mine = events.filter((e) => e.digest === layer.digest);
        expect(mine[0]).toEqual({
          digest: layer.digest,
          state: 'queued',
          current: 0,
          total: layer.size,
        });
        expect(mine.at(-1)).toEqual({
          digest: layer.digest,
          state: 'done',
          current: layer.size,
          total: layer.size,
        });
        expect(mine.map((e) => e.state)).toContain('verifying');
        const counts = mine.filter((e) => e.state === 'downloading').map((e) => e.current);
        expect(
          counts.every((n, i) => n <= layer.size && (i === 0 || n >= (counts[i - 1] ?? 0))),
        ).toBe(true);
        await expect(service.store.stat(Digest.parse(layer.digest))).resolves.toEqual({
          digest: Digest.parse(layer.digest),
          size: layer.size,
        });
      }
    });

    it('reports every layer as present on a second fetch, downloading nothing', async () => {
      const before = (await registry.accessLog()).length;
      const events = await fetch();
      expect(events.filter((e) => e.state !== 'queued').map((e) => e.state)).toEqual(
        (image.layers ?? []).map(() => 'exists'),
      );
      const blobGets = (await registry.accessLog())
        .slice(before)
        .filter((e) => e.method === 'GET' && e.path.includes('/blobs/'));
      expect(blobGets).toEqual([]);
    });

    it('downloads each blob once when two fetches of one image run at the same time', async () => {
      for (const layer of image.layers ?? [])
        await service.store.delete(Digest.parse(layer.digest));
      const before = (await registry.accessLog()).length;
      const [a, b] = await Promise.all([fetch(), fetch()]);
      for (const events of [a, b])
        expect(events.filter((e) => e.state === 'done' || e.state === 'exists')).toHaveLength(
          image.layers?.length ?? 0,
        );
      const gets = (await registry.accessLog())
        .slice(before)
        .filter((e) => e.method === 'GET' && e.path.includes('/blobs/'));
      const perBlob = new Map<string, number>();
      for (const entry of gets) perBlob.set(entry.path, (perBlob.get(entry.path) ?? 0) + 1);
      expect([...perBlob.values()]).toEqual((image.layers ?? []).map(() => 1));
    });

    it('asks the shared gate once per downloaded layer and releases it (bus), or nothing (local)', async () => {
      for (const layer of image.layers ?? [])
        await service.store.delete(Digest.parse(layer.digest));
      const asked = { ...service.downloads.asked };
      await fetch();
      const count = coordination === 'bus' ? (image.layers?.length ?? 0) : 0;
      expect(service.downloads.asked.acquire - asked.acquire).toBe(count);
      // Nobody waits for the last releases: they are on their way when the fetch completes.
      const released = () => service.downloads.asked.release - asked.release;
      for (let waits = 0; released() < count && waits < 100; waits += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(released()).toBe(count);
    });

    it('fails with NOT_FOUND for a blob the registry does not have', async () => {
      const missing = {
        digest: `sha256:${'0'.repeat(64)}`,
        size: 10,
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      };
      const error = await fetch([missing]).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    });
  },
);

function layers(): DescriptorDto[] {
  return (image.layers ?? []).map(({ digest, size, mediaType }) => ({ digest, size, mediaType }));
}
