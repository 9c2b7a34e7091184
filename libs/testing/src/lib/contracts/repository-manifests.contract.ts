import type { RepositoryManifestRecord } from '@stevedore/contracts';
import { sha256 } from './contract-helpers';
import { MetadataStoreSubject, testImage } from './metadata-store.contract';

const REPO = 'team/app';
const IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const EMPTY = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

/** artifact builds a repository manifest record: an artifact of `type` on `subject`. */
function artifact(
  seed: string,
  subject: string | undefined,
  type = 'application/vnd.example.sbom',
): RepositoryManifestRecord {
  const digest = sha256(`artifact ${seed}`);
  return {
    repository: REPO,
    digest,
    mediaType: IMAGE_MANIFEST,
    size: 500 + seed.length,
    artifactType: type,
    ...(subject === undefined ? {} : { subject }),
    annotations: { 'org.opencontainers.image.created': '2024-06-02T10:00:00Z' },
    blobs: [digest, EMPTY, sha256(`layer of artifact ${seed}`)],
  };
}

/**
 * describeRepositoryManifests is the part of the MetadataStore contract about what `/v2/` keeps
 * beside images: artifacts and manifests with a subject, listed by subject (the referrers API),
 * holding their blobs against garbage collection, and going with the image they were recorded as.
 */
export function describeRepositoryManifests(store: () => MetadataStoreSubject): void {
  describe('repository manifests', () => {
    const subject = sha256('the subject image manifest');

    it('stores a repository manifest and reads it back by repository and digest', async () => {
      const sbom = artifact('sbom', subject);
      await store().putManifest(sbom);
      expect(await store().getManifest(REPO, sbom.digest)).toEqual(sbom);
      expect(await store().getManifest('team/other', sbom.digest)).toBeUndefined();
      expect(await store().listImages()).toEqual([]);
    });

    it('lists the referrers of a subject in the order recorded, filtered by artifact type', async () => {
      const sbom = artifact('sbom', subject);
      const sig = artifact('sig', subject, 'application/vnd.example.signature');
      const unrelated = artifact('other', sha256('another subject'));
      const lonely = artifact('no subject', undefined);
      for (const record of [sbom, sig, unrelated, lonely]) await store().putManifest(record);
      await store().putManifest({ ...sig, repository: 'team/other' });
      const all = await store().listReferrers(REPO, subject);
      expect(all.map((r) => r.digest)).toEqual([sbom.digest, sig.digest]);
      const sigs = await store().listReferrers(REPO, subject, 'application/vnd.example.signature');
      expect(sigs).toEqual([sig]);
      expect(await store().listReferrers(REPO, sha256('nothing refers to me'))).toEqual([]);
    });

    it('replaces a record pushed again and removes it on delete', async () => {
      const sbom = artifact('sbom', subject);
      await store().putManifest(sbom);
      await store().putManifest({ ...sbom, annotations: { v: '2' } });
      expect(await store().listReferrers(REPO, subject)).toEqual([
        { ...sbom, annotations: { v: '2' } },
      ]);
      expect(await store().deleteManifest(REPO, sbom.digest)).toBe(true);
      expect(await store().deleteManifest(REPO, sbom.digest)).toBe(false);
      expect(await store().listReferrers(REPO, subject)).toEqual([]);
      expect(await store().getManifest(REPO, sbom.digest)).toBeUndefined();
    });

    it('holds its blobs against garbage collection while it lives', async () => {
      const sbom = artifact('sbom', subject);
      await store().putManifest(sbom);
      const unknown = sha256('nobody');
      expect(await store().referencedBlobs([unknown, ...sbom.blobs])).toEqual(sbom.blobs);
      await store().deleteManifest(REPO, sbom.digest);
      expect(await store().referencedBlobs(sbom.blobs)).toEqual([]);
    });

    it('goes with the image it was recorded as, and needs that image to exist', async () => {
      const image = testImage({ seed: 'signed image' });
      const record = { ...artifact('image with subject', subject), imageId: image.id };
      await expect(store().putManifest(record)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await store().putImage(image);
      await store().putManifest(record);
      expect(await store().listReferrers(REPO, subject)).toEqual([record]);
      await store().deleteImage(image.id);
      expect(await store().listReferrers(REPO, subject)).toEqual([]);
    });

    it('moves a tag onto an artifact, off the one that had it, and drops it with its manifest', async () => {
      const [chart1, chart2] = [artifact('chart 1', undefined), artifact('chart 2', undefined)];
      await store().putManifest(chart1, '1.0');
      await store().putManifest({ ...chart1, repository: 'charts/other' }, '1.0');
      await store().putManifest(chart2, 'latest');
      const tag = (t: string, a: RepositoryManifestRecord, repository = REPO) => ({
        repository,
        tag: t,
        digest: a.digest,
      });
      expect(await store().listManifestTags(REPO)).toEqual([
        tag('1.0', chart1),
        tag('latest', chart2),
      ]);
      await store().putManifest(chart2, '1.0');
      expect(await store().listManifestTags()).toEqual([
        tag('1.0', chart1, 'charts/other'),
        tag('1.0', chart2),
        tag('latest', chart2),
      ]);
      expect(await store().untagManifest(REPO, 'latest')).toBe(true);
      expect(await store().untagManifest(REPO, 'latest')).toBe(false);
      expect(await store().getManifest(REPO, chart2.digest)).toEqual(chart2);
      await store().deleteManifest(REPO, chart2.digest);
      expect(await store().listManifestTags(REPO)).toEqual([]);
      await expect(store().putManifest(chart1, 'bad tag')).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });

    it('refuses malformed digests and repositories', async () => {
      const bad = { ...artifact('bad', subject), subject: 'sha256:nope' };
      await expect(store().putManifest(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store().listReferrers('Team/App', subject)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(store().getManifest(REPO, 'latest')).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });
}
