import BetterSqlite3 from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSummaryRecord } from '@stevedore/contracts';
import { mergeNewestFirst } from '@stevedore/domain';
import { testImage } from '@stevedore/testing';
import type { ListingChanges } from '../port/metadata-store.port';
import { SqliteMetadataStore } from './sqlite-metadata-store';

/** apply is what a caller holding `held` does with the changes (the gateway's listing). */
function apply(held: ImageSummaryRecord[], changes: ListingChanges): ImageSummaryRecord[] {
  const gone = new Set([...changes.removed, ...changes.changed.map((image) => image.id)]);
  return mergeNewestFirst(
    held.filter((image) => !gone.has(image.id)),
    changes.changed,
  );
}

describe('SqliteMetadataStore listing changes (schema version 4)', () => {
  let dir: string;
  let store: SqliteMetadataStore;
  const a = testImage({ seed: 'a', created: '2024-01-01T00:00:00Z' });
  const b = testImage({ seed: 'b', created: '2024-02-01T00:00:00Z' });
  const c = testImage({ seed: 'c', created: '2024-03-01T00:00:00Z' });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metadata-listing-'));
    store = SqliteMetadataStore.open(join(dir, 'metadata.db'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** expectCatchUp checks that the changes since `version` turn `held` into the full listing. */
  async function expectCatchUp(held: ImageSummaryRecord[], version: string) {
    const changes = await store.listingChangesSince(version);
    expect(changes).toBeDefined();
    expect(changes?.version).toBe(await store.listingVersion());
    const full = await store.listImageSummaries();
    expect(apply(held, changes as ListingChanges)).toEqual(full);
    return { held: full, version: (changes as ListingChanges).version, changes };
  }

  it('sends what a put, tag, untag and delete changed, and nothing when nothing did', async () => {
    await store.putImage(a, { tag: 'docker.io/library/a:1' });
    let state = { held: await store.listImageSummaries(), version: await store.listingVersion() };
    await store.putImage(b, { tag: 'docker.io/library/b:1' });
    await store.putImage(c);
    let step = await expectCatchUp(state.held, state.version);
    expect(step.changes?.changed.map((image) => image.id).sort()).toEqual([b.id, c.id].sort());
    await store.setTag(a.id, 'docker.io/library/a:2', '2024-05-01T00:00:00Z');
    await store.removeTag('docker.io/library/b:1');
    step = await expectCatchUp(step.held, step.version);
    expect(step.changes?.changed.map((image) => image.id).sort()).toEqual([a.id, b.id].sort());
    await store.deleteImage(c.id);
    step = await expectCatchUp(step.held, step.version);
    expect(step.changes).toMatchObject({ changed: [], removed: [c.id] });
    state = step;
    expect(await store.listingChangesSince(state.version)).toEqual({
      version: state.version,
      changed: [],
      removed: [],
    });
  });

  it('sees the writes of another connection to the same file (a second process)', async () => {
    await store.putImage(a, { tag: 'docker.io/library/a:1' });
    const held = await store.listImageSummaries();
    const version = await store.listingVersion();
    const other = SqliteMetadataStore.open(join(dir, 'metadata.db'));
    await other.putImage(b, { tag: 'docker.io/library/b:1' });
    await other.removeTag('docker.io/library/a:1');
    await other.close();
    await expectCatchUp(held, version);
  });

  it('an image deleted and added again is a change, not a removal', async () => {
    await store.putImage(a, { tag: 'docker.io/library/a:1' });
    const held = await store.listImageSummaries();
    const version = await store.listingVersion();
    await store.deleteImage(a.id);
    await store.putImage(a, { tag: 'docker.io/library/a:3' });
    const step = await expectCatchUp(held, version);
    expect(step.changes).toMatchObject({ removed: [] });
  });

  it('cannot tell the changes since a version of another database or a malformed one', async () => {
    await store.putImage(a);
    const version = await store.listingVersion();
    const db = new BetterSqlite3(join(dir, 'metadata.db'));
    const epoch = (db.prepare('SELECT epoch FROM listing_state').pluck().get() as string) + 'x';
    db.close();
    for (const known of [`${epoch}.1`, 'garbage', `${version}.5`, version.replace(/\d+$/, '99')])
      expect(await store.listingChangesSince(known)).toBeUndefined();
  });
});
