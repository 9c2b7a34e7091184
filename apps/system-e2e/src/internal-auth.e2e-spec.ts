import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllApps } from './support/app-process';
import { Topology, startCluster } from './support/topology';

const run = promisify(execFile);

let stevedore: Topology;
let blobstore: string;
let exporter: string;
let rootfs: Buffer;
let scratch: string;

beforeAll(async () => {
  stevedore = await startCluster();
  blobstore = stevedore.internal.get('blobstore') as string;
  exporter = stevedore.internal.get('exporter') as string;
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-internal-auth-'));
  const file = join(scratch, 'rootfs.tar');
  const script = `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    data = b'internal\\n'; f = tarfile.TarInfo('hostname'); f.size = len(data); t.addfile(f, io.BytesIO(data))
`;
  await run('python3', ['-c', script, file]);
  rootfs = await readFile(file);
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const WRONG = 'not-the-token-0123456789abcdef0123456789';
/** The headers of a caller holding `token`, or none. */
const auth = (token: string | undefined): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };
const token = () => stevedore.internalToken as string;

/** A blob of this test alone, its digest and its path on the internal endpoint. */
function freshBlob() {
  const bytes = randomBytes(64);
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return { bytes, digest, path: `${blobstore}/blobs/${digest}` };
}

const status = (url: string, init: RequestInit = {}) => fetch(url, init).then((r) => r.status);

async function imageNames(): Promise<string[]> {
  const images = (await (await fetch(`${stevedore.url}/images/json`)).json()) as {
    RepoTags: string[] | null;
  }[];
  return images.flatMap((i) => i.RepoTags ?? []);
}

describe.each([
  ['without a token', undefined],
  ['with a wrong token', WRONG],
] as const)('the internal endpoints of a cluster, %s', (_name, presented) => {
  it('refuse a blob write with 401 and store nothing', async () => {
    const blob = freshBlob();
    const put = `${blob.path}?size=${blob.bytes.length}&offset=0`;
    expect(await status(put, { method: 'PUT', body: blob.bytes, headers: auth(presented) })).toBe(
      401,
    );
    expect(await status(blob.path, { method: 'HEAD', headers: auth(token()) })).toBe(404);
  });

  it('refuse a blob delete and a read with 401 and leave the blob', async () => {
    const blob = freshBlob();
    const put = `${blob.path}?size=${blob.bytes.length}&offset=0`;
    expect(await status(put, { method: 'PUT', body: blob.bytes, headers: auth(token()) })).toBe(
      201,
    );
    expect(await status(blob.path, { method: 'DELETE', headers: auth(presented) })).toBe(401);
    expect(await status(blob.path, { headers: auth(presented) })).toBe(401);
    expect(await status(`${blobstore}/usage`, { headers: auth(presented) })).toBe(401);
    expect(await status(blob.path, { method: 'HEAD', headers: auth(token()) })).toBe(200);
  });

  it('refuse an import and a save with 401 and record nothing', async () => {
    const repo = `internal-auth/refused-${presented === undefined ? 'none' : 'wrong'}`;
    const url = `${exporter}/import?fromSrc=-&repo=${repo}&tag=1`;
    expect(await status(url, { method: 'POST', body: rootfs, headers: auth(presented) })).toBe(401);
    const save = { method: 'POST', body: JSON.stringify({ names: ['busybox'] }) };
    expect(await status(`${exporter}/save`, { ...save, headers: auth(presented) })).toBe(401);
    expect(await imageNames()).not.toContain(`${repo}:1`);
  });
});

describe('the internal endpoints of a cluster, with its token', () => {
  it('write, read and delete a blob', async () => {
    const blob = freshBlob();
    const put = `${blob.path}?size=${blob.bytes.length}&offset=0`;
    expect(await status(put, { method: 'PUT', body: blob.bytes, headers: auth(token()) })).toBe(
      201,
    );
    const read = await fetch(blob.path, { headers: auth(token()) });
    expect(Buffer.from(await read.arrayBuffer())).toEqual(blob.bytes);
    expect(await status(blob.path, { method: 'DELETE', headers: auth(token()) })).toBe(200);
    expect(await status(blob.path, { method: 'HEAD', headers: auth(token()) })).toBe(404);
  });

  it('import an image', async () => {
    const url = `${exporter}/import?fromSrc=-&repo=internal-auth/allowed&tag=1`;
    expect(await status(url, { method: 'POST', body: rootfs, headers: auth(token()) })).toBe(200);
    expect(await imageNames()).toContain('internal-auth/allowed:1');
  });
});
