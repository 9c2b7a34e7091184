import { testImage } from '@stevedore/testing';
import type { BlobLinkStore } from '../lib/port/blob-link.port';
import type { MetadataStore } from '../lib/port/metadata-store.port';

/** BlobLinkStoreUnderTest is a link store and the image store whose records it reads. */
export interface BlobLinkStoreUnderTest {
  links: BlobLinkStore;
  images: MetadataStore;
  /** Opens a second link store on the same database (another replica, or after a restart). */
  reopen(): Promise<BlobLinkStore>;
  dispose(): Promise<void>;
}

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const [A, B, C] = [digest('a'), digest('b'), digest('c')];
const HOST = 'localhost:5000';

/**
 * describeBlobLinkStoreContract is the conformance suite of the BlobLinkStore port: every adapter
 * (SQLite always, MongoDB when a server is given) must pass it unchanged.
 */
export function describeBlobLinkStoreContract(
  name: string,
  open: () => Promise<BlobLinkStoreUnderTest>,
): void {
  describe(`BlobLinkStore contract: ${name}`, () => {
    let subject: BlobLinkStoreUnderTest;
    let store: BlobLinkStore;
    const member = (repository: string, blob: string, names: string[] = []) =>
      store.isMember({ repository, digest: blob, names });

    beforeEach(async () => {
      subject = await open();
      store = subject.links;
    });
    afterEach(() => subject.dispose());

    it('holds a linked blob in its repository only, idempotently', async () => {
      await store.link('team/a', [A, B, A]);
      await store.link('team/a', [A]);
      expect(await member('team/a', A)).toBe(true);
      expect(await member('team/a', B)).toBe(true);
      expect(await member('team/b', A)).toBe(false);
      expect(await member('team/a', C)).toBe(false);
    });

    it('keeps links across a reopen (a restarted or another replica sees them)', async () => {
      await store.link('team/a', [C]);
      const other = await subject.reopen();
      try {
        expect(await other.isMember({ repository: 'team/a', digest: C, names: [] })).toBe(true);
      } finally {
        await other.close();
      }
    });

    it('counts the blobs a repository manifest of that repository names', async () => {
      const artifact = digest('d');
      const record = { repository: 'team/a', digest: artifact, mediaType: 'x', size: 2 };
      await subject.images.putManifest({ ...record, blobs: [A] });
      expect(await member('team/a', A)).toBe(true);
      expect(await member('team/a', artifact)).toBe(true);
      expect(await member('team/b', A)).toBe(false);
    });

    it('counts the blobs of an image referenced under one of the names asked about', async () => {
      const image = testImage({ seed: 'links', layers: ['l1'], indexDigest: C });
      const manifest = image.manifests[0];
      const layer = manifest?.layers[0]?.digest as string;
      await subject.images.putImage(image, { tag: `${HOST}/team/a:1` });
      const names = [`${HOST}/team/a`];
      for (const blob of [layer, image.id, manifest?.digest as string, C])
        expect(await member('team/a', blob, names)).toBe(true);
      expect(await member('team/a', A, names)).toBe(false);
      // Another name, and a name that only starts like it, hold nothing.
      expect(await member('team/b', layer, [`${HOST}/team/b`])).toBe(false);
      expect(await member('team', layer, [`${HOST}/team`])).toBe(false);
      await subject.images.addRepoDigest(image.id, `${HOST}/team/b@${C}`);
      expect(await member('team/b', layer, [`${HOST}/team/b`])).toBe(true);
      await subject.images.deleteImage(image.id);
      expect(await member('team/a', layer, names)).toBe(false);
    });

    it('refuses a malformed repository, digest or name with INVALID_ARGUMENT', async () => {
      const invalid = { code: 'INVALID_ARGUMENT' };
      await expect(store.link('team/a', ['sha256:abc'])).rejects.toMatchObject(invalid);
      await expect(store.link('Team/A', [A])).rejects.toMatchObject(invalid);
      await expect(member('team/a', 'nope')).rejects.toMatchObject(invalid);
      await expect(member('team/a', A, [`${HOST}/team/a:1`])).rejects.toMatchObject(invalid);
      expect(await member('team/a', A)).toBe(false);
    });
  });
}
