import {
  HttpFaultProxy,
  RegistryHandle,
  startHttpFaultProxy,
  startRegistry,
} from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { EMPTY_CONFIG, OCI_MANIFEST, makeArtifact, makeImage, sha256 } from './support/oci-image';
import { Topology, startEmbedded } from './support/topology';

// The referrers API (distribution 1.1) of a pull-through repository lists the upstream's referrers
// with the ones Stevedore stores. The CNCF registry 2.8 has no referrers API (404): there the tag
// schema's index (`sha256-<hex>`) is read. A Stevedore without pull-through is the OCI 1.1 upstream.
// An upstream that fails leaves the stored referrers.
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const SBOM = 'application/vnd.example.sbom.v1';
const SIG = 'application/vnd.example.signature.v1';

type Artifact = ReturnType<typeof makeArtifact>;
interface ReferrersIndex {
  mediaType: string;
  manifests: { digest: string; artifactType?: string }[];
}

let registry: RegistryHandle;
let proxy: HttpFaultProxy;
let oci: Topology;
let viaCncf: Topology;
let viaOci: Topology;

const pullThrough = (mirror: string) =>
  startEmbedded(undefined, {
    daemonConfig: { 'registry-mirrors': [mirror], 'registry-proxy': true },
  });

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startHttpFaultProxy(registry.url);
  oci = await startEmbedded();
  viaCncf = await pullThrough(proxy.url);
  viaOci = await pullThrough(oci.registry);
}, 300_000);

afterAll(async () => {
  await Promise.all([viaCncf, viaOci, oci].map((t) => t?.stop()));
  await killAllApps();
  await proxy?.stop();
  await registry?.stop();
});

afterEach(() => proxy.reset());

/** pushBlob uploads a blob with a POST and a PUT of the bytes (every registry takes this). */
async function pushBlob(base: string, repo: string, bytes: Buffer): Promise<void> {
  const posted = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  expect(posted.status).toBe(202);
  const location = new URL(posted.headers.get('location') as string, base);
  location.searchParams.set('digest', sha256(bytes));
  const put = await fetch(location, { method: 'PUT', body: bytes });
  expect(put.status).toBe(201);
}

async function putManifest(base: string, repo: string, ref: string, body: Buffer, type: string) {
  const res = await fetch(`${base}/v2/${repo}/manifests/${ref}`, {
    method: 'PUT',
    headers: { 'content-type': type },
    body,
  });
  expect(res.status).toBe(201);
}

/** pushSubject pushes an image to refer to; its digest and size. */
async function pushSubject(base: string, repo: string) {
  const image = makeImage(repo);
  for (const blob of [image.layer, image.config]) await pushBlob(base, repo, blob);
  await putManifest(base, repo, 'v1', image.manifest, OCI_MANIFEST);
  return { digest: image.digest, size: image.manifest.length };
}

async function pushArtifact(base: string, repo: string, artifact: Artifact): Promise<void> {
  for (const blob of [EMPTY_CONFIG, artifact.layer]) await pushBlob(base, repo, blob);
  await putManifest(base, repo, artifact.digest, artifact.manifest, OCI_MANIFEST);
}

/** The descriptor of an artifact as a referrers index lists it. */
const descriptor = (a: Artifact) => ({
  mediaType: OCI_MANIFEST,
  digest: a.digest,
  size: a.manifest.length,
  artifactType: a.artifactType,
  annotations: { 'org.opencontainers.image.created': '2026-12-03T10:00:00Z' },
});

async function referrers(base: string, repo: string, subject: string, query = '') {
  const res = await fetch(`${base}/v2/${repo}/referrers/${subject}${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(OCI_INDEX);
  const index = (await res.json()) as ReferrersIndex;
  expect(index.mediaType).toBe(OCI_INDEX);
  return { filters: res.headers.get('oci-filters-applied'), manifests: index.manifests };
}

const digests = (list: { digest: string }[]) => list.map((d) => d.digest).sort();

describe('referrers of a pull-through repository whose upstream lacks the API (CNCF 2.8)', () => {
  const repo = 'library/referred-cncf';
  let subject: { digest: string; size: number };
  let sbom: Artifact;
  let sig: Artifact;

  beforeAll(async () => {
    subject = await pushSubject(registry.url, repo);
    [sbom, sig] = [makeArtifact(SBOM, subject), makeArtifact(SIG, subject)];
    for (const a of [sbom, sig]) await pushArtifact(registry.url, repo, a);
    // The tag schema: the index a client that pushes referrers keeps at `sha256-<hex>`.
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [sbom, sig].map(descriptor),
    };
    const tag = subject.digest.replace(':', '-');
    await putManifest(registry.url, repo, tag, Buffer.from(JSON.stringify(index)), OCI_INDEX);
  }, 60_000);

  it('answers 404 upstream, and lists the tag schema’s referrers through Stevedore', async () => {
    const upstream = await fetch(`${registry.url}/v2/${repo}/referrers/${subject.digest}`);
    expect(upstream.status).toBe(404);
    const got = await referrers(viaCncf.registry, repo, subject.digest);
    expect(got.manifests).toHaveLength(2);
    expect(got.manifests).toEqual(expect.arrayContaining([descriptor(sbom), descriptor(sig)]));
    const filtered = await referrers(
      viaCncf.registry,
      repo,
      subject.digest,
      `?artifactType=${SIG}`,
    );
    expect(filtered).toEqual({ filters: 'artifactType', manifests: [descriptor(sig)] });
  });

  it('adds the referrers Stevedore stores, each digest once, and keeps them when upstream fails', async () => {
    const note = makeArtifact('application/vnd.example.note.v1', subject);
    for (const a of [note, sbom]) await pushArtifact(viaCncf.registry, repo, a);
    const got = await referrers(viaCncf.registry, repo, subject.digest);
    expect(digests(got.manifests)).toEqual(digests([note, sbom, sig]));
    proxy.setRule({
      pathPattern: /\/(referrers|manifests)\/sha256[-:]/,
      failStatus: { status: 503, times: 1_000_000 },
    });
    const down = await referrers(viaCncf.registry, repo, subject.digest);
    expect(digests(down.manifests)).toEqual(digests([note, sbom]));
  }, 90_000);
});

describe('referrers of a pull-through repository whose upstream has the API (Stevedore)', () => {
  const repo = 'library/referred-oci';

  it('lists the upstream’s referrers as the upstream does, filtered alike', async () => {
    const subject = await pushSubject(oci.registry, repo);
    const [sbom, sig] = [makeArtifact(SBOM, subject), makeArtifact(SIG, subject)];
    for (const a of [sbom, sig]) await pushArtifact(oci.registry, repo, a);
    for (const query of ['', `?artifactType=${SBOM}`]) {
      const upstream = await referrers(oci.registry, repo, subject.digest, query);
      const got = await referrers(viaOci.registry, repo, subject.digest, query);
      expect(got.filters).toBe(upstream.filters);
      expect(got.manifests).toEqual(expect.arrayContaining(upstream.manifests));
      expect(got.manifests).toHaveLength(upstream.manifests.length);
    }
    const all = await referrers(viaOci.registry, repo, subject.digest);
    expect(all.manifests).toEqual(expect.arrayContaining([descriptor(sbom), descriptor(sig)]));
  }, 60_000);
});
