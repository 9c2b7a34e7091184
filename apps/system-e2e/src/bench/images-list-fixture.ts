import { createHash } from 'node:crypto';
import { IncomingHttpHeaders, Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SqliteMetadataStore } from '@stevedore/metadata-store';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** A few base layers many images share, as real images share their distribution's base. */
const BASES = 20;

/** imageOf is the i-th seeded image: its own config and top layers over one of a few shared bases. */
function imageOf(i: number) {
  const base = [sha(`base-${i % BASES}-0`), sha(`base-${i % BASES}-1`)];
  const layers = [...base, sha(`image-${i}-0`), sha(`image-${i}-1`)];
  const configJson = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `IMAGE=${i}`],
      Cmd: ['/bin/sh', '-c', `serve --port ${8000 + (i % 1000)}`],
      Labels: { 'org.example.team': `team-${i % 7}`, 'org.example.index': String(i) },
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha(`diff-${l}`)) },
    history: layers.map((_, n) => ({ created: '2025-01-01T00:00:00Z', created_by: `step ${n}` })),
  });
  const sizes = [28_000_000, 3_000_000, 1_000 + i, 50_000 + (i % 1000)];
  const manifest = {
    digest: sha(`manifest-${i}`),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 900,
    platform: { os: 'linux', architecture: 'amd64' },
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha(configJson),
      size: configJson.length,
    },
    layers: layers.map((digest, n) => ({ mediaType: LAYER, digest, size: sizes[n] ?? 0 })),
  };
  return {
    id: manifest.config.digest,
    manifests: [manifest],
    created: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    addedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    size: sizes.reduce((a, b) => a + b, 0),
    labels: { 'org.example.team': `team-${i % 7}`, 'org.example.index': String(i) },
    os: 'linux',
    architecture: 'amd64',
    configJson,
  };
}

/**
 * seedImages writes `count` distinct images (each its own config, manifest, tag and repo digest)
 * straight into the metadata database under `dataRoot`, before a daemon opens it: the records a
 * pull would make, without pulling ten thousand images.
 */
export async function seedImages(dataRoot: string, count: number): Promise<void> {
  const store = SqliteMetadataStore.open(join(dataRoot, 'metadata.db'));
  try {
    for (let i = 0; i < count; i += 1) {
      const image = imageOf(i);
      await store.putImage(image, {
        tag: `registry.example.com/team-${i % 7}/app-${i}:v${i % 3}`,
        repoDigest: `registry.example.com/team-${i % 7}/app-${i}@${image.manifests[0]?.digest}`,
      });
    }
  } finally {
    await store.close();
  }
}

interface Recorded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** StaticReplay is a node:http server answering, from memory, what `origin` answered each request once. */
export interface StaticReplay {
  url: string;
  close(): Promise<void>;
}

/**
 * startStaticReplay serves identical bytes to the daemon's: each method + URL is fetched from
 * `origin` the first time it is asked, then always answered from memory (a static server of the
 * same JSON, for the CLI's `_ping` and version negotiation too).
 */
export async function startStaticReplay(origin: string): Promise<StaticReplay> {
  const answers = new Map<string, Recorded>();
  const server: Server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    const known = answers.get(key);
    const answer = known
      ? Promise.resolve(known)
      : record(origin, req.method ?? 'GET', req.url ?? '/');
    void answer.then((recorded) => {
      answers.set(key, recorded);
      res.writeHead(recorded.status, recorded.headers).end(recorded.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function record(origin: string, method: string, path: string): Promise<Recorded> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, origin), { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = { ...res.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        resolve({ status: res.statusCode ?? 500, headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
