import { lstat, mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { resolveSources, sourceHash, type SourceTree } from '../copy/copy-sources';
import { readContext } from './read-context';

type Entry = {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  body?: string;
  mode?: number;
  linkname?: string;
  size?: number;
};

/** tarOf writes entries as GNU tar does with --numeric-owner (no user names, root ids). */
async function tarOf(entries: Entry[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const mode = e.mode ?? (type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o644);
    const header = {
      name: e.name,
      type,
      mode,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      mtime: new Date(1e12),
    };
    if (type === 'file') p.entry({ ...header, ...(e.size ? { size: e.size } : {}) }, e.body ?? '');
    else p.entry({ ...header, linkname: e.linkname ?? '' });
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// The context `docker build` was given in the dockerd 20.10 run these sums come from.
const CONTEXT: Entry[] = [
  { name: './', type: 'directory' },
  { name: './a.txt', body: 'hello\n', mode: 0o640 },
  { name: './d/', type: 'directory' },
  { name: './d/x', body: 'x\n' },
  { name: './d/e/', type: 'directory' },
  { name: './d/e/y', body: 'y\n' },
  { name: './d/lnk', type: 'symlink', linkname: 'x' },
];

describe('reading a build context', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctx-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const tree = (root: string, sums: Map<string, string>): SourceTree => ({
    root,
    hash: async (rel) => sums.get(rel) ?? rel,
    excluded: () => false,
  });

  it('unpacks a gzip context and gives COPY the checksums dockerd gives it', async () => {
    const ctx = await readContext(Readable.from(gzipSync(await tarOf(CONTEXT))), dir);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('hello\n');
    expect(await readlink(join(dir, 'd/lnk'))).toBe('x');
    const t = tree(ctx.root, ctx.sums);
    const file = await resolveSources(t, ['a.txt'], 'COPY');
    expect(sourceHash(file)).toBe(
      'file:9cee15c74858cf3635cb493c2da8a07c8dc726dd5a52c4a5d77015e8af042253',
    );
    expect(sourceHash(await resolveSources(t, ['d'], 'COPY'))).toBe(
      'dir:628ccac7d32e9cbfc8ec4b526dad71955b58496f1eea82aaa94ffb1a2b49580e',
    );
    expect(sourceHash(await resolveSources(t, ['a.txt', 'd'], 'COPY'))).toBe(
      'multi:1705064c1ed2e3f678e1291b6b85bc22c5a8c2f0e30344ef5a5f6c1ccdfeb31d',
    );
    expect(sourceHash(await resolveSources(t, ['*.txt'], 'COPY'))).toBe(sourceHash(file));
  });

  it('changes the checksum with content and mode, not with mtime', async () => {
    const sumOf = async (entries: Entry[], sub: string) => {
      const root = join(dir, sub);
      const ctx = await readContext(Readable.from(await tarOf(entries)), root);
      return sourceHash(await resolveSources(tree(root, ctx.sums), ['a.txt'], 'COPY'));
    };
    const a = await sumOf([{ name: 'a.txt', body: 'one' }], 'a');
    expect(await sumOf([{ name: 'a.txt', body: 'one' }], 'b')).toBe(a);
    expect(await sumOf([{ name: 'a.txt', body: 'two' }], 'c')).not.toBe(a);
    expect(await sumOf([{ name: 'a.txt', body: 'one', mode: 0o600 }], 'd')).not.toBe(a);
  });

  it('refuses sources outside the context, in dockerd’s words', async () => {
    const ctx = await readContext(Readable.from(await tarOf(CONTEXT)), dir);
    await expect(resolveSources(tree(ctx.root, ctx.sums), ['../x'], 'COPY')).rejects.toThrow(
      'COPY failed: forbidden path outside the build context: ../x ()',
    );
    await expect(resolveSources(tree(ctx.root, ctx.sums), ['nope'], 'COPY')).rejects.toThrow(
      'COPY failed: file not found in build context or excluded by .dockerignore: stat nope: file does not exist',
    );
  });

  it('refuses a member that climbs out, and writes nothing outside', async () => {
    const tar = await tarOf([{ name: '../evil', body: 'x' }]);
    await expect(readContext(Readable.from(tar), join(dir, 'c'))).rejects.toThrow();
    await expect(lstat(join(dir, 'evil'))).rejects.toThrow();
  });

  it('never writes through a symlink out of the context', async () => {
    const tar = await tarOf([
      { name: 'out', type: 'symlink', linkname: dir },
      { name: 'out/pwned', body: 'x' },
    ]);
    // An absolute link leads inside the context (as in a container root), never to the host.
    await readContext(Readable.from(tar), join(dir, 'c')).catch(() => undefined);
    await expect(lstat(join(dir, 'pwned'))).rejects.toThrow();
    const up = await tarOf([
      { name: 'up', type: 'symlink', linkname: '..' },
      { name: 'up/pwned', body: 'x' },
    ]);
    await expect(readContext(Readable.from(up), join(dir, 'd'))).rejects.toThrow();
    await expect(lstat(join(dir, 'pwned'))).rejects.toThrow();
  });

  it('refuses a member over the size limit before writing it', async () => {
    const tar = await tarOf([{ name: 'big', body: 'x'.repeat(2048) }]);
    const limits = { maxMemberBytes: 1024, maxTotalBytes: 1 << 20, maxMembers: 10 };
    await expect(readContext(Readable.from(tar), join(dir, 'c'), limits)).rejects.toThrow(
      'context member big is too large: 2048 bytes (the limit is 1024)',
    );
  });

  it('takes a body that is not a tar as a bare Dockerfile', async () => {
    const ctx = await readContext(Readable.from(Buffer.from('FROM busybox\nRUN true\n')), dir);
    expect(ctx.bareDockerfile).toBe('FROM busybox\nRUN true\n');
  });
});
