import type { INestMicroservice } from '@nestjs/common';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Archives } from '@stevedore/exporter-http';
import { MemoryBlobStore } from '@stevedore/testing';
import { pack } from 'tar-stream';
import { startExporter } from '../../test/exporter-harness';

const DEAD_PID = '2147483646';

const SIZE = 10 * 1024 * 1024;

/** The 512-byte tar header of a file of SIZE bytes (what a real `tar` would send first). */
async function tarHeader(): Promise<Buffer> {
  const tar = pack();
  tar.entry({ name: 'big', size: SIZE }, Buffer.alloc(SIZE));
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer); // read whole: a tar cut short throws
  return Buffer.concat(chunks).subarray(0, 512);
}

/** A tar upload that stops after `bytes` bytes: the connection dropped (or the client was killed). */
function cutUpload(bytes: number, onCut?: () => void): Readable {
  async function* body(): AsyncGenerator<Buffer> {
    yield await tarHeader();
    for (let sent = 0; sent < bytes; sent += 64 * 1024) yield Buffer.alloc(64 * 1024, 7);
    onCut?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
    throw new Error('aborted');
  }
  return Readable.from(body());
}

describe('the exporter owns its spool files (real files, metadata faked)', () => {
  let root: string;
  let app: INestMicroservice | undefined;
  let archives: Archives;
  const mine = () => readdir(join(root, String(process.pid)));

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'exporter-spool-'));
    for (const owner of [DEAD_PID, String(process.ppid), String(process.pid)]) {
      await mkdir(join(root, owner, 'import-left'), { recursive: true });
      await writeFile(join(root, owner, 'import-left', 'layer.tar.gz'), 'left by a crash');
    }
    ({ app, archives } = await startExporter(new MemoryBlobStore(), [], root));
  });

  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('at start-up removes the spool of dead processes and of its own pid’s predecessor, never a live one’s', async () => {
    expect((await readdir(root)).sort()).toEqual(
      [String(process.pid), String(process.ppid)].sort(),
    );
    expect(await mine()).toEqual([]);
    expect(await readdir(join(root, String(process.ppid)))).toEqual(['import-left']);
  });

  it('removes an import’s spool when the upload is cut mid-body, and answers at once', async () => {
    await expect(
      archives.importRootfs(cutUpload(1024 * 1024), { fromSrc: '-', changes: [] }),
    ).rejects.toThrow();
    expect(await mine()).toEqual([]);
  });

  it('removes an import’s spool when the client goes away (the request is aborted)', async () => {
    const gone = new AbortController();
    const upload = cutUpload(1024 * 1024, () => gone.abort());
    const request = { fromSrc: '-', changes: [] };
    await expect(archives.importRootfs(upload, request, gone.signal)).rejects.toMatchObject({
      message: 'the request was cancelled',
    });
    expect(await mine()).toEqual([]);
  });

  it('removes a load’s spool when the upload is cut mid-body', async () => {
    await expect(archives.load(cutUpload(1024 * 1024), {})).rejects.toThrow();
    expect(await mine()).toEqual([]);
  });
});
