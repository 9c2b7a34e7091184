import { BatchStore, SqliteBatchStore } from '@stevedore/metadata-store';
import { Clock } from '../../support/clock';
import {
  AcquireDownloadUseCase,
  BackOffDownloadsUseCase,
  ReleaseDownloadUseCase,
} from './download.use-cases';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const asking = (digest: string, holder: string, limit = 2) => ({
  digest,
  registry: 'registry.test:5000',
  holder,
  limit,
  ttlMs: 15_000,
});

describe('the download gate in metadata', () => {
  let store: BatchStore;
  let acquire: AcquireDownloadUseCase;
  let release: ReleaseDownloadUseCase;
  let backOff: BackOffDownloadsUseCase;

  beforeEach(async () => {
    store = await SqliteBatchStore.open(':memory:');
    acquire = new AcquireDownloadUseCase(store, new Clock());
    release = new ReleaseDownloadUseCase(store);
    backOff = new BackOffDownloadsUseCase(store);
  });

  afterEach(() => store.close());

  it('grants a free blob with a slot, and lets nobody else download it until released', async () => {
    const first = await acquire.execute(asking(A, 'one'));
    expect(first).toEqual({ granted: true, slot: 'upstream:registry.test:5000#0' });
    expect(await acquire.execute(asking(A, 'two'))).toEqual({
      granted: false,
      reason: 'downloading',
      retryAfterMs: 250,
    });
    if (!first.granted) throw new Error('not granted');
    await release.execute({ digest: A, holder: 'one', slot: first.slot });
    expect(await acquire.execute(asking(A, 'two'))).toMatchObject({ granted: true });
  });

  it('keeps to the slot limit, and a refusal for want of a slot holds nothing', async () => {
    expect(await acquire.execute(asking(A, 'one', 1))).toMatchObject({ granted: true });
    expect(await acquire.execute(asking(B, 'two', 1))).toEqual({
      granted: false,
      reason: 'slots',
      retryAfterMs: 200,
    });
    expect(await store.getLease(`blob:${B}`)).toBeUndefined();
  });

  it('gives back the grants an acquire carries before deciding, so their slot serves it', async () => {
    const first = await acquire.execute(asking(A, 'one', 1));
    if (!first.granted) throw new Error('not granted');
    const releases = [{ digest: A, holder: 'one', slot: first.slot }];
    expect(await acquire.execute({ ...asking(B, 'two', 1), releases })).toEqual(first);
    expect(await store.getLease(`blob:${A}`)).toBeUndefined();
    expect(await acquire.execute(asking(A, 'three', 1))).toMatchObject({ reason: 'slots' });
  });

  it('renews a grant by its slot, even while a back-off runs', async () => {
    const grant = await acquire.execute(asking(A, 'one'));
    if (!grant.granted) throw new Error('not granted');
    await backOff.execute({ registry: 'registry.test:5000', ms: 3_000 });
    expect(await acquire.execute({ ...asking(A, 'one'), slot: grant.slot })).toEqual(grant);
    await expect(acquire.execute({ ...asking(A, 'one'), slot: `blob:${B}` })).rejects.toMatchObject(
      { code: 'INVALID_ARGUMENT' },
    );
  });

  it('holds new downloads from a registry that asked to back off, saying for how long', async () => {
    await backOff.execute({ registry: 'registry.test:5000', ms: 3_000 });
    const refused = await acquire.execute(asking(A, 'one'));
    expect(refused).toMatchObject({ granted: false, reason: 'backoff' });
    expect(refused.granted ? 0 : refused.retryAfterMs).toBeGreaterThan(2_000);
    expect(refused.granted ? 0 : refused.retryAfterMs).toBeLessThanOrEqual(3_000);
  });
});
