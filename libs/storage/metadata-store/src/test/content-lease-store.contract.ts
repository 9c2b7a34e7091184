import { testImage } from '@stevedore/testing';
import type { ContentLeaseStore } from '../lib/port/content-lease.port';
import type { MetadataStore } from '../lib/port/metadata-store.port';
import type { TestClock } from './batch-store.contract';

/** ContentLeaseStoreUnderTest is a lease store and the image store whose records it reads. */
export interface ContentLeaseStoreUnderTest {
  leases: ContentLeaseStore;
  images: MetadataStore;
  dispose(): Promise<void>;
}

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const [A, B, C] = [digest('a'), digest('b'), digest('c')];
const TTL = 10_000;

/**
 * describeContentLeaseStoreContract is the conformance suite of the ContentLeaseStore port: every
 * adapter (SQLite always, MongoDB when a server is given) must pass it unchanged.
 */
export function describeContentLeaseStoreContract(
  name: string,
  open: (clock: TestClock) => Promise<ContentLeaseStoreUnderTest>,
): void {
  describe(`ContentLeaseStore contract: ${name}`, () => {
    let now = new Date('2026-11-28T10:00:00Z');
    let subject: ContentLeaseStoreUnderTest;
    let store: ContentLeaseStore;
    const advance = (ms: number) => (now = new Date(now.getTime() + ms));

    beforeEach(async () => {
      now = new Date('2026-11-28T10:00:00Z');
      subject = await open({ now: () => now });
      store = subject.leases;
    });
    afterEach(() => subject.dispose());

    it('claims free digests once, in input order without repeats, until the claim is released', async () => {
      expect(await store.claim('gc-1', [B, A, B], TTL)).toEqual([B, A]);
      expect(await store.claim('gc-2', [A, C], TTL)).toEqual([C]);
      expect(await store.claim('gc-1', [A], TTL)).toEqual([A]);
      await store.releaseClaim('gc-1');
      expect(await store.claim('gc-2', [A, B], TTL)).toEqual([A, B]);
    });

    it('never claims a digest an image refers to: manifest, index, config or layer', async () => {
      const image = testImage({ seed: 'gc', layers: ['l1', 'l2'], indexDigest: C });
      await subject.images.putImage(image);
      const manifest = image.manifests[0];
      const blobs = [manifest?.digest, image.id, ...(manifest?.layers ?? []).map((l) => l.digest)];
      expect(await store.claim('gc', [...(blobs as string[]), C, A], TTL)).toEqual([A]);
      await subject.images.deleteImage(image.id);
      expect(await store.claim('gc', [C, image.id], TTL)).toEqual([C, image.id]);
    });

    it('never claims a blob a repository manifest (an artifact) names, until it is deleted', async () => {
      const artifact = digest('d');
      const record = { repository: 'team/app', digest: artifact, mediaType: 'x', size: 2 };
      await subject.images.putManifest({ ...record, subject: C, blobs: [A, B] });
      expect(await store.claim('gc-1', [A, B, C, artifact], TTL)).toEqual([C]);
      await subject.images.deleteManifest('team/app', artifact);
      expect(await store.claim('gc-1', [A, B, artifact], TTL)).toEqual([A, B, artifact]);
    });

    it('never claims a leased digest; a digest stays protected while any holder leases it', async () => {
      expect(await store.lease('pull-1', [A, B], TTL)).toEqual({ acquired: true });
      expect(await store.lease('pull-2', [A], TTL)).toEqual({ acquired: true });
      expect(await store.claim('gc', [A, B, C], TTL)).toEqual([C]);
      await store.release('pull-1');
      expect(await store.claim('gc', [A, B], TTL)).toEqual([B]);
      await store.release('pull-2');
      expect(await store.claim('gc', [A], TTL)).toEqual([A]);
    });

    it('refuses a lease while a collector holds one of its digests, taking none of them', async () => {
      expect(await store.claim('gc', [B], TTL)).toEqual([B]);
      expect(await store.lease('pull', [A, B], TTL)).toEqual({ acquired: false, collecting: [B] });
      // The refused lease left nothing behind that protects A.
      expect(await store.claim('gc-2', [A], TTL)).toEqual([A]);
      await store.releaseClaim('gc-2');
      await store.releaseClaim('gc');
      expect(await store.lease('pull', [A, B], TTL)).toEqual({ acquired: true });
      expect(await store.claim('gc', [A, B], TTL)).toEqual([]);
    });

    it('lets a lease lapse when its holder stops renewing it; renewal keeps it alive', async () => {
      await store.lease('alive', [A], TTL);
      await store.lease('silent', [B], TTL);
      advance(TTL - 1000);
      expect(await store.lease('alive', [], TTL)).toEqual({ acquired: true });
      advance(2000);
      expect(await store.claim('gc', [A, B], TTL)).toEqual([B]);
    });

    it('forgets a mark its collector let expire', async () => {
      await store.claim('dead-gc', [A], TTL);
      advance(TTL + 1);
      expect(await store.lease('pull', [A], TTL)).toEqual({ acquired: true });
      expect(await store.claim('gc', [A], TTL)).toEqual([]);
    });

    it('refuses a malformed digest with INVALID_ARGUMENT', async () => {
      await expect(store.lease('pull', ['sha256:abc'], TTL)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(store.claim('gc', ['nope'], TTL)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });
}
