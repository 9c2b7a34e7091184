import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllApps } from './support/app-process';
import { Topology, startCluster, startEmbedded } from './support/topology';

const sha256 = (bytes: Buffer): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stevedore-e2e-registry-resume-'));
});

afterAll(async () => {
  await killAllApps();
  await rm(root, { recursive: true, force: true });
});

/** patch sends one chunk of an upload session, as a chunked client does. */
function patch(location: URL, bytes: Buffer, from: number): Promise<Response> {
  return fetch(location, {
    method: 'PATCH',
    headers: {
      'content-type': 'application/octet-stream',
      'content-range': `${from}-${from + bytes.length - 1}`,
    },
    body: bytes,
  });
}

/**
 * An upload session lives in the blob store, not in the gateway: it survives the gateway going
 * away, and the gateway that comes back (or another one) finishes it.
 */
describe('resumable uploads across a gateway restart', () => {
  it('embedded: the whole process restarts over the same data root, the upload goes on', async () => {
    const bytes = randomBytes(2_000_000);
    let stevedore: Topology = await startEmbedded(root);
    const session = await fetch(`${stevedore.registry}/v2/e2e/resume/blobs/uploads/`, {
      method: 'POST',
    });
    const path = session.headers.get('location') as string;
    expect(
      (await patch(new URL(path, stevedore.registry), bytes.subarray(0, 1_200_000), 0)).status,
    ).toBe(202);
    await stevedore.stop();
    stevedore = await startEmbedded(root);
    try {
      const location = new URL(path, stevedore.registry);
      const status = await fetch(location);
      expect(status.status).toBe(204);
      expect(status.headers.get('range')).toBe('0-1199999');
      expect((await patch(location, bytes.subarray(1_200_000), 1_200_000)).status).toBe(202);
      location.searchParams.set('digest', sha256(bytes));
      expect((await fetch(location, { method: 'PUT' })).status).toBe(201);
      const blob = await fetch(`${stevedore.registry}/v2/e2e/resume/blobs/${sha256(bytes)}`);
      expect(Buffer.from(await blob.arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      await stevedore.stop();
    }
  }, 180_000);

  it('cluster: one gateway starts the upload, another finishes it', async () => {
    const bytes = randomBytes(1_500_000);
    const stevedore = await startCluster({ replicas: { gateway: 2 } });
    try {
      const [first, second] = stevedore.registries as [string, string];
      const session = await fetch(`${first}/v2/e2e/resume/blobs/uploads/`, { method: 'POST' });
      const path = session.headers.get('location') as string;
      expect((await patch(new URL(path, first), bytes.subarray(0, 700_000), 0)).status).toBe(202);
      await stevedore.processes.get('gateway')?.stop();
      const location = new URL(path, second);
      expect((await patch(location, bytes.subarray(700_000), 700_000)).status).toBe(202);
      location.searchParams.set('digest', sha256(bytes));
      expect((await fetch(location, { method: 'PUT' })).status).toBe(201);
      const head = await fetch(`${second}/v2/e2e/resume/blobs/${sha256(bytes)}`, {
        method: 'HEAD',
      });
      expect(head.headers.get('content-length')).toBe(String(bytes.length));
    } finally {
      await stevedore.stop();
    }
  }, 180_000);
});
