import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { EventsWatcher, watchEvents } from './support/events-watcher';
import { Topology, startCluster, startEmbedded } from './support/topology';
import { OCI_MANIFEST, makeImage, sha256 } from './support/oci-image';

// Issue 15: "pulls and pushes as events", and artifacts kept out of `docker images`. Manifests
// pushed to and pulled from `/v2/` of one gateway show on `docker events` of every gateway
// (in the cluster: pushed through the second gateway's registry face, read from the first).
const DOCKER = '/usr/local/bin/docker';
/** An image (one random layer) and an artifact on it that names the same layer. */
function makeImageAndArtifact(seed: string) {
  const image = makeImage(seed);
  const empty = Buffer.from('{}');
  const { layers } = JSON.parse(image.manifest.toString()) as { layers: unknown[] };
  const artifact = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.copy.v1',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: 2 },
      layers,
      subject: { mediaType: OCI_MANIFEST, digest: image.digest, size: image.manifest.length },
    }),
  );
  return { blobs: [image.layer, image.config, empty], manifest: image.manifest, artifact };
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-registry-events-'));
});
afterAll(async () => {
  await killAllApps();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster({ replicas: { gateway: 2 } })],
] as const)('/v2/ pulls and pushes on docker events, %s', (_name, start) => {
  let stevedore: Topology;
  let watcher: EventsWatcher | undefined;
  const env = (url: string) => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    DOCKER_CONFIG: scratch,
    DOCKER_HOST: url.replace(/^http:/, 'tcp:'),
  });
  const docker = (...args: string[]): Promise<CommandResult> =>
    runCommand(DOCKER, args, env(stevedore.urls[0] as string));
  const registry = (): string => stevedore.registries.at(-1) as string;
  const at = (path: string, init?: RequestInit) => fetch(`${registry()}${path}`, init);
  beforeAll(async () => {
    stevedore = await start();
    watcher = await watchEvents(env(stevedore.urls[0] as string), ['--filter', 'type=image']);
  }, 180_000);
  afterAll(async () => {
    watcher?.stop();
    await stevedore?.stop();
  });

  async function pushBlobs(repo: string, blobs: Buffer[]): Promise<void> {
    for (const blob of blobs) {
      const url = `/v2/${repo}/blobs/uploads/?digest=${sha256(blob)}`;
      expect((await at(url, { method: 'POST', body: blob })).status).toBe(201);
    }
  }

  async function put(repo: string, reference: string, body: Buffer): Promise<Response> {
    const headers = { 'content-type': OCI_MANIFEST };
    return at(`/v2/${repo}/manifests/${reference}`, { method: 'PUT', headers, body });
  }

  it('reports manifest pushes and pulls as image events; artifacts stay out of docker images', async () => {
    const { blobs, manifest, artifact } = makeImageAndArtifact('events');
    await pushBlobs('e2e/events', blobs);
    // A manifest's blobs must be in its own repository (as in the CNCF registry): pushed there too.
    await pushBlobs('e2e/artifacts', blobs);
    expect((await put('e2e/events', '1', manifest)).status).toBe(201);
    expect((await put('e2e/artifacts', sha256(artifact), artifact)).status).toBe(201);
    expect((await at('/v2/e2e/events/manifests/1', { method: 'HEAD' })).status).toBe(200);
    expect((await at('/v2/e2e/events/manifests/1')).status).toBe(200);
    expect((await at(`/v2/e2e/artifacts/manifests/${sha256(artifact)}`)).status).toBe(200);
    const events = await (watcher as EventsWatcher).until((seen) => seen.length >= 4);
    const name = `${new URL(registry()).host}/e2e/events`;
    const artifacts = `${new URL(registry()).host}/e2e/artifacts`;
    const actor = (ID: string, n: string) => ({ ID, Attributes: { name: n } });
    // HEAD is a question, not a pull: four events, in order.
    expect(events.map((e) => [e.Type, e.Action, e.Actor])).toEqual([
      ['image', 'push', actor(`${name}:1`, name)],
      ['image', 'push', actor(`${artifacts}@${sha256(artifact)}`, artifacts)],
      ['image', 'pull', actor(`${name}:1`, name)],
      ['image', 'pull', actor(`${artifacts}@${sha256(artifact)}`, artifacts)],
    ]);
    const images = await docker('images', '--format', '{{.Repository}}:{{.Tag}}');
    expect(images.code).toBe(0);
    expect(images.stdout.split('\n').filter((l) => l !== '')).toEqual([`${name}:1`]);
  });

  it('keeps the blobs an artifact names when the image sharing them is removed', async () => {
    const { blobs, manifest, artifact } = makeImageAndArtifact('shared');
    await pushBlobs('e2e/shared', blobs);
    expect((await put('e2e/shared', 'doomed', manifest)).status).toBe(201);
    expect((await put('e2e/shared', sha256(artifact), artifact)).status).toBe(201);
    const name = `${new URL(registry()).host}/e2e/shared:doomed`;
    const rmi = await docker('rmi', name);
    expect(rmi).toMatchObject({ code: 0 });
    expect(rmi.stdout).toMatch(/Deleted: sha256:/);
    const [layer, config] = blobs as [Buffer, Buffer];
    // The config went with the image; the layer the artifact names stays, as does the artifact.
    expect((await at(`/v2/e2e/shared/blobs/${sha256(config)}`, { method: 'HEAD' })).status).toBe(
      404,
    );
    const kept = await at(`/v2/e2e/shared/blobs/${sha256(layer)}`);
    expect(Buffer.from(await kept.arrayBuffer()).equals(layer)).toBe(true);
    const got = await at(`/v2/e2e/shared/manifests/${sha256(artifact)}`);
    expect(Buffer.from(await got.arrayBuffer()).equals(artifact)).toBe(true);
  });
});
