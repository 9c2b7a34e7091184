import type {
  ImageManifestRecord,
  ImageRecord,
  ManifestTagV1,
  RepositoryManifestRecord,
} from '@stevedore/contracts';
import { failure, sha256 } from './contract-helpers';
import { describeExistingOnly } from './existing-only.contract';
import { describeRepositoryManifests } from './repository-manifests.contract';

// libs/testing may not import the metadata adapter lib (scope rules), so the port's shape is
// restated here; adapters' specs pass real stores, and tsc checks that they fit this shape.
type TestImage = Omit<ImageRecord, 'repoTags' | 'repoDigests' | 'lastTagTime'>;
type RefChange = { changed: boolean; previousImageId?: string };

/** MetadataStoreSubject is the shape of the `MetadataStore` port that the contract suite exercises. */
export interface MetadataStoreSubject {
  putImage(
    image: TestImage,
    refs?: { tag?: string; repoDigest?: string; taggedAt?: string; existingOnly?: boolean },
  ): Promise<{
    image: ImageRecord;
    created: boolean;
    manifestAdded: boolean;
    tag?: RefChange;
    repoDigest?: RefChange;
  }>;
  getImage(id: string): Promise<ImageRecord | undefined>;
  findImagesByIdPrefix(prefix: string): Promise<ImageRecord[]>;
  findImageByTag(tag: string): Promise<ImageRecord | undefined>;
  findImageByRepoDigest(repoDigest: string): Promise<ImageRecord | undefined>;
  listImages(): Promise<ImageRecord[]>;
  deleteImage(
    id: string,
    options?: { onlyIfUnreferenced?: boolean },
  ): Promise<{ image: ImageRecord; removedRefs: string[]; releasedBlobs: string[] } | undefined>;
  setTag(id: string, tag: string, taggedAt: string): Promise<string | undefined>;
  removeTag(tag: string): Promise<string | undefined>;
  addRepoDigest(id: string, repoDigest: string): Promise<string | undefined>;
  removeRepoDigest(repoDigest: string): Promise<string | undefined>;
  referencedBlobs(digests: readonly string[]): Promise<string[]>;
  putManifest(record: RepositoryManifestRecord, tag?: string): Promise<void>;
  getManifest(repository: string, digest: string): Promise<RepositoryManifestRecord | undefined>;
  listReferrers(
    repository: string,
    subject: string,
    artifactType?: string,
  ): Promise<RepositoryManifestRecord[]>;
  deleteManifest(repository: string, digest: string): Promise<boolean>;
  listManifestTags(repository?: string): Promise<ManifestTagV1[]>;
  untagManifest(repository: string, tag: string): Promise<boolean>;
}

/** A store under test and how to dispose of it. */
export interface MetadataStoreUnderTest {
  store: MetadataStoreSubject;
  dispose(): Promise<void>;
}

/** TestImageOptions shape {@link testImage}: a seed makes distinct images, layers may be shared. */
export interface TestImageOptions {
  seed: string;
  layers?: string[];
  created?: string;
  indexDigest?: string;
  labels?: Record<string, string>;
}

/**
 * testImage builds a consistent image for metadata tests: its id is the sha256 of its config JSON,
 * its one manifest names that config and `layers` (digests of the given texts).
 */
export function testImage(options: TestImageOptions): TestImage {
  const layers = (options.layers ?? [`layer of ${options.seed}`]).map((text) => ({
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    digest: sha256(text),
    size: text.length * 100,
  }));
  const created = options.created ?? '2024-01-01T00:00:00Z';
  const configJson = JSON.stringify({
    architecture: 'arm64',
    os: 'linux',
    variant: 'v8',
    created,
    config: { Labels: options.labels ?? {} },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(`diff ${l.digest}`)) },
    seed: options.seed,
  });
  const id = sha256(configJson);
  const manifest: ImageManifestRecord = {
    digest: sha256(`manifest ${id}`),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 500,
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: id,
      size: configJson.length,
    },
    layers,
    ...(options.indexDigest ? { indexDigest: options.indexDigest } : {}),
  };
  return {
    id,
    manifests: [manifest],
    created,
    addedAt: '2024-06-01T10:00:00.000Z',
    size: layers.reduce((n, l) => n + l.size, 0),
    labels: options.labels ?? {},
    os: 'linux',
    architecture: 'arm64',
    variant: 'v8',
    configJson,
  };
}

/** testImagesSharingPrefix returns two test images whose ids share their first `hexChars` hex digits. */
export function testImagesSharingPrefix(hexChars: number): [TestImage, TestImage] {
  const seen = new Map<string, TestImage>();
  for (let i = 0; ; i++) {
    const image = testImage({ seed: `prefix-${i}` });
    const key = image.id.slice(0, 7 + hexChars);
    const twin = seen.get(key);
    if (twin) return [twin, image];
    seen.set(key, image);
  }
}

/** manifestOf returns the (first) manifest of a test image. */
export function manifestOf(image: TestImage): ImageManifestRecord {
  const manifest = image.manifests[0];
  if (!manifest) throw new Error(`test image ${image.id} has no manifest`);
  return manifest;
}

const TAG = 'docker.io/library/busybox:latest';
const T1 = '2024-06-02T10:00:00.000Z';
const T2 = '2024-06-03T10:00:00.000Z';
/**
 * describeMetadataStoreContract is the conformance suite of the MetadataStore port: every adapter
 * (SQLite always, MongoDB when a server is configured) runs exactly these behaviours.
 */
export function describeMetadataStoreContract(
  name: string,
  factory: () => Promise<MetadataStoreUnderTest>,
): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let subject: MetadataStoreUnderTest;
    let store: MetadataStoreSubject;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => subject.dispose());

    it('stores an image and reads it back by id, without references yet', async () => {
      const a = testImage({ seed: 'a', labels: { 'org.opencontainers.image.version': '1.0' } });
      const put = await store.putImage(a);
      expect(put).toMatchObject({ created: true, manifestAdded: false });
      expect(await store.getImage(a.id)).toEqual({ ...a, repoTags: [], repoDigests: [] });
      expect(await store.getImage(testImage({ seed: 'absent' }).id)).toBeUndefined();
    });

    it('merges a second manifest of the same image, keeping when it was first added', async () => {
      const a = testImage({ seed: 'a' });
      await store.putImage(a);
      const other = {
        ...manifestOf(a),
        digest: sha256('another manifest'),
        indexDigest: sha256('an index'),
      };
      const merged = await store.putImage({ ...a, addedAt: T2, manifests: [other] });
      expect(merged).toMatchObject({ created: false, manifestAdded: true });
      expect(merged.image.manifests.map((m) => m.digest)).toEqual([
        manifestOf(a).digest,
        other.digest,
      ]);
      expect(merged.image.addedAt).toBe(a.addedAt);
      expect(await store.putImage(a)).toMatchObject({ created: false, manifestAdded: false });
    });

    it('points a tag and a repo digest at an image in the same change, setting lastTagTime', async () => {
      const a = testImage({ seed: 'a' });
      const ref = `docker.io/library/busybox@${manifestOf(a).digest}`;
      const put = await store.putImage(a, { tag: TAG, repoDigest: ref, taggedAt: T1 });
      expect(put.tag).toEqual({ changed: true });
      expect(put.image).toMatchObject({ repoTags: [TAG], repoDigests: [ref], lastTagTime: T1 });
      expect((await store.findImageByTag(TAG))?.id).toBe(a.id);
      expect((await store.findImageByRepoDigest(ref))?.id).toBe(a.id);
      const again = await store.putImage(a, { tag: TAG, taggedAt: T2 });
      expect(again.tag).toEqual({ changed: false });
      expect(again.image.lastTagTime).toBe(T1);
    });

    it('moves a tag off the image that had it, which stays as an untagged image', async () => {
      const [a, b] = [testImage({ seed: 'a' }), testImage({ seed: 'b' })];
      await store.putImage(a, { tag: TAG });
      const put = await store.putImage(b, { tag: TAG });
      expect(put.tag).toEqual({ changed: true, previousImageId: a.id });
      expect((await store.getImage(a.id))?.repoTags).toEqual([]);
      expect((await store.findImageByTag(TAG))?.id).toBe(b.id);
      expect(await store.setTag(a.id, TAG, T2)).toBe(b.id);
      expect(await store.getImage(a.id)).toMatchObject({ repoTags: [TAG], lastTagTime: T2 });
    });

    it('keeps put and tag atomic: a rejected reference leaves neither the image nor a moved tag', async () => {
      const [a, c] = [testImage({ seed: 'a' }), testImage({ seed: 'c' })];
      await store.putImage(a, { tag: TAG });
      const error = await failure(
        store.putImage(c, { tag: TAG, repoDigest: 'busybox@not-a-digest' }),
      );
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(await store.getImage(c.id)).toBeUndefined();
      expect((await store.findImageByTag(TAG))?.id).toBe(a.id);
    });

    it('leaves a contested tag on exactly one image when puts race', async () => {
      const images = Array.from({ length: 8 }, (_, i) => testImage({ seed: `race-${i}` }));
      const results = await Promise.all(images.map((image) => store.putImage(image, { tag: TAG })));
      const holders = (await store.listImages()).filter((i) => i.repoTags.includes(TAG));
      expect(holders).toHaveLength(1);
      const movedOff = results.map((r) => r.tag?.previousImageId).filter((id) => id !== undefined);
      expect(new Set(movedOff).size).toBe(images.length - 1);
      expect(movedOff).not.toContain(holders[0]?.id);
    });

    it('finds every image an id prefix matches, so callers can report ambiguity', async () => {
      const [a, b] = testImagesSharingPrefix(2);
      await store.putImage(a);
      await store.putImage(b);
      const shared = a.id.slice(0, 9);
      expect((await store.findImagesByIdPrefix(shared)).map((i) => i.id).sort()).toEqual(
        [a.id, b.id].sort(),
      );
      expect((await store.findImagesByIdPrefix(a.id.slice(0, 20))).map((i) => i.id)).toEqual([
        a.id,
      ]);
      expect(
        await store.findImagesByIdPrefix(`sha256:${a.id.slice(7, 9) === 'ff' ? '00' : 'ff'}ff`),
      ).toEqual([]);
      for (const bad of ['', 'sha256:', 'sha256:%', 'ABC']) {
        expect(await failure(store.findImagesByIdPrefix(bad))).toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
      }
    });

    it('refuses references that are not fully qualified and normalised', async () => {
      for (const bad of [
        'busybox:latest',
        'docker.io/library/busybox',
        'docker.io/library/BusyBox:1',
      ]) {
        expect(await failure(store.findImageByTag(bad))).toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
      }
      expect(await failure(store.findImageByRepoDigest(TAG))).toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });

    it('moves and removes tags and repo digests, reporting the image they pointed at', async () => {
      const [a, b] = [testImage({ seed: 'a' }), testImage({ seed: 'b' })];
      await store.putImage(a);
      await store.putImage(b);
      const ref = `docker.io/library/busybox@${sha256('index')}`;
      expect(await store.addRepoDigest(a.id, ref)).toBeUndefined();
      expect(await store.addRepoDigest(b.id, ref)).toBe(a.id);
      expect(await store.removeRepoDigest(ref)).toBe(b.id);
      expect(await store.removeRepoDigest(ref)).toBeUndefined();
      await store.setTag(a.id, TAG, T1);
      expect(await store.removeTag(TAG)).toBe(a.id);
      expect(await store.findImageByTag(TAG)).toBeUndefined();
      const missing = testImage({ seed: 'missing' }).id;
      expect(await failure(store.setTag(missing, TAG, T1))).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('lists images newest first with their references sorted', async () => {
      const old = testImage({ seed: 'old', created: '2020-01-01T00:00:00Z' });
      const recent = testImage({ seed: 'new', created: '2023-05-05T12:00:00.5Z' });
      await store.putImage(old, { tag: 'docker.io/library/old:2' });
      await store.setTag(old.id, 'docker.io/library/old:1', T1);
      await store.putImage(recent);
      const list = await store.listImages();
      expect(list.map((i) => i.id)).toEqual([recent.id, old.id]);
      expect(list[1]?.repoTags).toEqual(['docker.io/library/old:1', 'docker.io/library/old:2']);
    });

    it('reports which blobs some image still refers to through manifest, index, config or layer', async () => {
      const index = sha256('index of a');
      const a = testImage({ seed: 'a', layers: ['shared', 'only a'], indexDigest: index });
      const b = testImage({ seed: 'b', layers: ['shared'] });
      await store.putImage(a);
      await store.putImage(b);
      const [shared, onlyA] = manifestOf(a).layers.map((l) => l.digest) as [string, string];
      const unknown = sha256('nobody');
      const asked = [unknown, onlyA, shared, a.id, index, manifestOf(a).digest, onlyA];
      expect(await store.referencedBlobs(asked)).toEqual([
        onlyA,
        shared,
        a.id,
        index,
        manifestOf(a).digest,
      ]);
      expect(await store.referencedBlobs([])).toEqual([]);
    });

    it('deletes an image with its references and reports only the blobs no other image uses', async () => {
      const a = testImage({ seed: 'a', layers: ['shared', 'only a'] });
      const b = testImage({ seed: 'b', layers: ['shared'] });
      const ref = `docker.io/library/busybox@${manifestOf(a).digest}`;
      await store.putImage(a, { tag: TAG, repoDigest: ref });
      await store.putImage(b);
      expect(await store.deleteImage(a.id, { onlyIfUnreferenced: true })).toBeUndefined();
      const deleted = await store.deleteImage(a.id);
      const [shared, onlyA] = manifestOf(a).layers.map((l) => l.digest) as [string, string];
      expect(deleted?.removedRefs).toEqual([TAG, ref]);
      expect(deleted?.releasedBlobs.sort()).toEqual([manifestOf(a).digest, a.id, onlyA].sort());
      expect(await store.getImage(a.id)).toBeUndefined();
      expect(await store.findImageByTag(TAG)).toBeUndefined();
      expect(await store.referencedBlobs([shared, onlyA])).toEqual([shared]);
      expect(await store.deleteImage(a.id)).toBeUndefined();
    });

    describeRepositoryManifests(() => store);
    describeExistingOnly(() => store);
  });
}
