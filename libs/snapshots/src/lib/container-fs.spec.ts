import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Images, asRoot, collect } from '../test/containers';

import { archiveFromRoot, exportRoot } from './container-archive';
import { resolveInRoot, statInRoot } from './in-root';
import { releaseRootfs } from './rootfs';
import { TreeTar } from './tree-tar';

const rootOnly = asRoot ? describe : describe.skip;
const DATA = '/tmp/r3/container-fs';
const OUTSIDE = '/tmp/r3/container-fs-outside';

function names(tar: Buffer): string[] {
  return execFileSync('tar', ['-tf', '-'], { input: tar, encoding: 'utf8' }).trim().split('\n');
}

rootOnly(`container filesystem access${asRoot ? '' : ' (skipped: needs root)'}`, () => {
  const images = new Images(DATA);
  const dirs: string[] = [];

  beforeAll(async () => {
    await rm(DATA, { recursive: true, force: true });
    await rm(OUTSIDE, { recursive: true, force: true });
    await mkdir(OUTSIDE, { recursive: true });
    await writeFile(join(OUTSIDE, 'secret'), 'host secret');
    await images.unpack();
  });
  afterAll(async () => {
    for (const dir of dirs) await releaseRootfs(images.snapshots, dir);
    await rm(DATA, { recursive: true, force: true });
    await rm(OUTSIDE, { recursive: true, force: true });
  });

  describe.each([
    ['overlay', true],
    ['copy', false],
  ] as const)('on a %s root', (mode, overlay) => {
    let root: string;

    beforeAll(async () => {
      const plan = await images.container(`fs-${mode}`, overlay);
      dirs.push(join(plan.target, '..'));
      root = plan.target;
      await symlink('/d', join(root, 'root/dl'));
      await symlink('../../../../../../../etc', join(root, 'root/esc'));
      await symlink(`/../../../..${OUTSIDE}/secret`, join(root, 'etc/x'));
      await symlink(`/../../../..${OUTSIDE}`, join(root, 'etc/xd'));
      await symlink('loop-b', join(root, 'tmp/loop-a'));
      await symlink('loop-a', join(root, 'tmp/loop-b'));
      await mkdir(join(root, OUTSIDE), { recursive: true });
      await writeFile(join(root, OUTSIDE, 'secret'), 'container file');
    });

    describe('resolveInRoot', () => {
      it.each([
        ['/etc/x', `${OUTSIDE}/secret`],
        ['/root/esc/passwd', '/etc/passwd'],
        ['/../../../etc/passwd', '/etc/passwd'],
        ['root/dl/sub/../g', '/d/g'],
        ['/root/dl/missing/more', '/d/missing/more'],
        ['/', ''],
      ])('resolves %s inside the root, to %s', async (path, inside) => {
        expect(await resolveInRoot(root, path)).toBe(`${root}${inside}`);
      });

      it('reads the container file, never the host file a link names', async () => {
        expect(await readFile(await resolveInRoot(root, '/etc/x'), 'utf8')).toBe('container file');
      });

      it('gives up on a symlink loop', async () => {
        await expect(resolveInRoot(root, '/tmp/loop-a')).rejects.toThrow(/too many links/);
      });
    });

    describe('statInRoot', () => {
      it('describes a directory with Go file mode bits and an RFC 3339 mtime', async () => {
        expect(await statInRoot(root, '/d')).toEqual({
          name: 'd',
          size: (await stat(join(root, 'd'))).size,
          mode: 2 ** 31 + 0o755,
          mtime: '2020-01-02T03:04:05Z',
          linkTarget: '',
        });
        expect((await statInRoot(root, '/d/.')).name).toBe('.');
        expect((await statInRoot(root, '/')).name).toBe('/');
        expect((await statInRoot(root, '/tmp')).mode).toBe(2 ** 31 + 2 ** 20 + 0o777);
      });

      it('describes a symlink itself, its target resolved in the root', async () => {
        const link = await statInRoot(root, '/root/esc');
        expect(link).toMatchObject({ name: 'esc', mode: 2 ** 27 + 0o777, linkTarget: '/etc' });
        expect((await statInRoot(root, '/root/dl/')).mode).toBe(2 ** 31 + 0o755);
      });

      it("answers NOT_FOUND in Docker's words for a missing path", async () => {
        await expect(statInRoot(root, '/nope', 'c1')).rejects.toMatchObject({
          code: 'NOT_FOUND',
          message: 'Could not find the file /nope in container c1',
        });
        await expect(statInRoot(root, '/etc/passwd/x')).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
      });
    });

    describe('archiveFromRoot', () => {
      it.each([
        ['/d', ['d/', 'd/g', 'd/sub/', 'd/sub/f']],
        ['/d/', ['d/', 'd/g', 'd/sub/', 'd/sub/f']],
        ['/d/.', ['./', './g', './sub/', './sub/f']],
        ['/root/dl', ['dl']],
        ['/root/dl/', ['dl/', 'dl/g', 'dl/sub/', 'dl/sub/f']],
        ['/root/dl/.', ['./', './g', './sub/', './sub/f']],
        ['/etc/passwd', ['passwd']],
      ])('roots the entries of %s at its base name as dockerd does', async (path, expected) => {
        const { tar } = await archiveFromRoot(root, path);
        expect(names(await collect(tar))).toEqual(expected);
      });

      it('archives / with names under /, as dockerd does', async () => {
        const all = names(await collect((await archiveFromRoot(root, '/')).tar));
        expect(all[0]).toBe('/');
        // The init layer's `/.dockerenv` sorts first; the image's entries follow in order.
        expect(all.slice(all.indexOf('/d/'), all.indexOf('/d/') + 2)).toEqual(['/d/', '/d/g']);
      });

      it('follows an escaping link only inside the root', async () => {
        const { tar } = await archiveFromRoot(root, '/root/esc/');
        const files = execFileSync('tar', ['-xOf', '-', 'esc/passwd'], {
          input: await collect(tar),
        });
        expect(files.toString()).toBe('root:x:0:0:root:/root:/bin/sh\n');
        const secret = await archiveFromRoot(root, '/etc/xd/');
        const content = execFileSync('tar', ['-xOf', '-', 'xd/secret'], {
          input: await collect(secret.tar),
        });
        expect(content.toString()).toBe('container file');
      });

      it('is NOT_FOUND before any byte for a missing path', async () => {
        await expect(archiveFromRoot(root, '/d/nope', 'c1')).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      });

      it('refuses to read a directory that is not inside the root', async () => {
        const tar = new TreeTar({ scope: root });
        const walk = tar.walk(OUTSIDE, await lstat(OUTSIDE), true, (rel) => rel);
        await expect(collect(Readable.from(walk))).rejects.toMatchObject({ code: 'CONFLICT' });
      });
    });

    it('exports the whole root: GNU tar extracts it to the same tree', async () => {
      const tar = await collect(exportRoot(root));
      expect(names(tar)).not.toContain('./');
      const out = join(DATA, `export-${mode}`);
      await mkdir(out);
      execFileSync('tar', ['-xf', '-', '-C', out], { input: tar });
      const list = (dir: string) =>
        execFileSync('find', ['.', '-mindepth', '1', '-printf', '%p %M %U:%G %s %l\n'], {
          cwd: dir,
          encoding: 'utf8',
        })
          .split('\n')
          .map((l) => l.replace(/^(\S+ d\S+ \S+) \d+/, '$1 -'))
          .sort();
      expect(list(out)).toEqual(list(root));
      expect(await readlink(join(out, 'root/esc'))).toBe('../../../../../../../etc');
    });
  });
});
