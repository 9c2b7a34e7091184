import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { spoolRootfsLayer } from './spool-layer';

async function rootfsTar(big?: Buffer): Promise<Buffer> {
  const p = pack();
  p.entry({ name: 'etc/hostname' }, 'stevedore\n');
  if (big) p.entry({ name: 'big' }, big);
  p.entry({ name: 'bin/', type: 'directory' });
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('spoolRootfsLayer (real files, real gzip)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a plain tar', (t: Buffer) => t],
    ['a gzip tar', (t: Buffer) => gzipSync(t)],
  ])(
    'turns %s into a gzip layer whose diff ID is the plain tar’s digest',
    async (_name, encode) => {
      const tar = await rootfsTar();
      const layer = await spoolRootfsLayer(Readable.from([encode(tar)]), dir);
      const blob = readFileSync(layer.path);
      expect(layer).toMatchObject({ digest: sha(blob), size: blob.length, diffId: sha(tar) });
      expect(gunzipSync(blob).equals(tar)).toBe(true);
    },
  );

  it('refuses what is not a tar', async () => {
    const junk = Buffer.alloc(4096, 0x41);
    await expect(spoolRootfsLayer(Readable.from([junk]), dir)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('invalid tar header'),
    });
  });

  it('fails at once with the source’s error when the upload is cut mid-body (it used to wait for ever)', async () => {
    const big = pack();
    big.entry({ name: 'big' }, Buffer.alloc(1024 * 1024, 1));
    big.finalize();
    // The first 200 kB of the tar, then the connection drops.
    async function* cut(): AsyncGenerator<Buffer> {
      let sent = 0;
      for await (const chunk of big) {
        yield chunk as Buffer;
        sent += (chunk as Buffer).length;
        if (sent > 200_000) throw new Error('aborted');
      }
    }
    const spooled = spoolRootfsLayer(Readable.from(cut()), dir);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000));
    await expect(Promise.race([spooled.catch((err: Error) => err.message), timeout])).resolves.toBe(
      'aborted',
    );
  });

  it.each([
    ['a plain tar', (t: Buffer) => t],
    ['a gzip tar', (t: Buffer) => gzipSync(t)],
    ['an xz tar', (t: Buffer) => execFileSync('xz', ['-c'], { input: t })],
  ])(
    'refuses %s cut mid-file with unexpected EOF, leaving the process up',
    async (_n, encode) => {
      const whole = encode(await rootfsTar(Buffer.alloc(300_000, 7)));
      const cut = whole.subarray(0, Math.floor(whole.length / 2));
      const escaped: unknown[] = [];
      const onEscape = (error: unknown) => escaped.push(error);
      process.on('uncaughtException', onEscape);
      try {
        await expect(spoolRootfsLayer(Readable.from([cut]), dir)).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: expect.stringContaining('unexpected EOF'),
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        process.off('uncaughtException', onEscape);
      }
      expect(escaped).toEqual([]);
    },
    10_000,
  );
});
