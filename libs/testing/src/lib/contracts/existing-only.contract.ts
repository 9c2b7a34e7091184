import { failure, sha256 } from './contract-helpers';
import { MetadataStoreSubject, manifestOf, testImage } from './metadata-store.contract';

const TAG = 'docker.io/library/busybox:latest';

/**
 * describeExistingOnly checks `existingOnly`, the record of a pull that found its image present:
 * the references land only on an image stored with the manifest, checked where they are written.
 */
export function describeExistingOnly(subject: () => MetadataStoreSubject): void {
  it('records references onto an existing image only when asked so, changing nothing otherwise', async () => {
    const store = subject();
    const a = testImage({ seed: 'present' });
    const gone = await failure(store.putImage(a, { tag: TAG, existingOnly: true }));
    expect(gone).toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.getImage(a.id)).toBeUndefined();
    expect(await store.findImageByTag(TAG)).toBeUndefined();
    await store.putImage(a);
    const other = { ...manifestOf(a), digest: sha256('another manifest') };
    const partly = await failure(
      store.putImage({ ...a, manifests: [other] }, { existingOnly: true }),
    );
    expect(partly).toMatchObject({ code: 'NOT_FOUND' });
    expect((await store.getImage(a.id))?.manifests).toHaveLength(1);
    const put = await store.putImage(a, { tag: TAG, existingOnly: true });
    expect(put).toMatchObject({ created: false, tag: { changed: true } });
    expect((await store.findImageByTag(TAG))?.id).toBe(a.id);
  });
}
