import { Subject } from 'rxjs';
import type { PullEventV1 } from '@stevedore/contracts';
import { PullFlight } from './pull-flight';
import { upstreamReference } from './upstream-reference';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const resolved: PullEventV1 = {
  type: 'resolved',
  reference: 'docker.io/library/busybox:latest',
  digest: d('a'),
  manifest: {
    digest: d('b'),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 100,
    platform: { os: 'linux', architecture: 'amd64' },
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 10 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: d('e'), size: 5 }],
  },
};

describe('PullFlight', () => {
  it('resolves, then tells when each of its blobs landed, and knows nothing of others', async () => {
    const events = new Subject<PullEventV1>();
    const flight = new PullFlight(events);
    events.next(resolved);
    await expect(flight.resolved).resolves.toMatchObject({ topDigest: d('a') });
    await expect(flight.waitFor(d('c'))).resolves.toBeUndefined();
    const layer = flight.waitFor(d('e'));
    let landed = false;
    void layer?.then(() => (landed = true));
    await Promise.resolve();
    expect(landed).toBe(false);
    events.next({ type: 'blob', digest: d('e'), state: 'done', current: 5, total: 5 });
    await layer;
    expect(flight.waitFor(d('f'))).toBeUndefined();
    events.complete();
    await expect(flight.done).resolves.toBeUndefined();
  });

  it('tells when a blob began to download, before it landed', async () => {
    const events = new Subject<PullEventV1>();
    const flight = new PullFlight(events);
    events.next(resolved);
    let began = false;
    void flight.started(d('e')).then(() => (began = true));
    events.next({ type: 'blob', digest: d('e'), state: 'queued', current: 0, total: 5 });
    await Promise.resolve();
    expect(began).toBe(false);
    events.next({ type: 'blob', digest: d('e'), state: 'downloading', current: 1, total: 5 });
    await Promise.resolve();
    expect(began).toBe(true);
    // Nothing is left waiting once the pull ended, whatever it brought.
    const never = flight.started(d('f'));
    events.complete();
    await expect(never).resolves.toBeUndefined();
  });

  it('fails its waiters when the pull fails', async () => {
    const events = new Subject<PullEventV1>();
    const flight = new PullFlight(events);
    const waiting = flight.waitFor(d('e'));
    events.error(new Error('upstream gone'));
    await expect(flight.resolved).rejects.toThrow('upstream gone');
    await expect(waiting).rejects.toThrow('upstream gone');
  });
});

describe('upstreamReference', () => {
  it('reads /v2/ names as the store does: Docker Hub without a host, others by their host', () => {
    expect(upstreamReference('library/busybox', 'latest')).toBe('docker.io/library/busybox:latest');
    expect(upstreamReference('ghcr.io/x/y', d('a'))).toBe(`ghcr.io/x/y@${d('a')}`);
    expect(upstreamReference('Bad/Name', 'latest')).toBeUndefined();
  });
});
