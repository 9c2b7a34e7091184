import { chmod, lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyIntoRoot } from './copy-into-root';
import { resolveSources, type SourceTree } from './copy-sources';

const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

/** What `tar -tv --numeric-owner` shows of a path: its permission bits and owner. */
async function seen(root: string, path: string): Promise<string> {
  const stat = await lstat(join(root, path));
  return `${(stat.mode & 0o7777).toString(8)} ${stat.uid}/${stat.gid}`;
}

// Each expectation is what `docker export` showed of the same COPY built by dockerd 20.10.
asRoot(
  `the directories COPY makes for its destination${process.getuid?.() === 0 ? '' : ' (skipped: needs root)'}`,
  () => {
    let context: string;
    let root: string;
    let tree: SourceTree;

    beforeEach(async () => {
      context = await mkdtemp(join(tmpdir(), 'copy-context-'));
      root = await mkdtemp(join(tmpdir(), 'copy-root-'));
      await chmod(context, 0o700);
      await mkdir(join(context, 'sub'));
      await chmod(join(context, 'sub'), 0o700);
      await writeFile(join(context, 'f'), 'hello\n');
      await writeFile(join(context, 'sub/g'), 'x\n');
      await chmod(join(context, 'sub/g'), 0o644);
      tree = { root: context, hash: async (rel) => rel, excluded: () => false };
    });

    afterEach(async () => {
      await rm(context, { recursive: true, force: true });
      await rm(root, { recursive: true, force: true });
    });

    async function copy(words: string[], dest: string, chown?: string): Promise<void> {
      const sources = await resolveSources(tree, words, 'COPY');
      await copyIntoRoot(root, { tree, sources, dest, cmd: 'COPY', ...(chown ? { chown } : {}) });
    }

    it('makes a new directory 0755 whatever the mode of the directory copied (COPY . /ctx/)', async () => {
      await copy(['.'], '/ctx/');
      expect(await seen(root, 'ctx')).toBe('755 0/0');
      expect(await seen(root, 'ctx/sub')).toBe('700 0/0');
      expect(await seen(root, 'ctx/sub/g')).toBe('644 0/0');
    });

    it('gives a directory’s new destination to --chown, its new parents to root', async () => {
      await copy(['sub'], '/a/b/c/', '1000:1000');
      expect(await seen(root, 'a')).toBe('755 0/0');
      expect(await seen(root, 'a/b')).toBe('755 0/0');
      expect(await seen(root, 'a/b/c')).toBe('755 1000/1000');
      expect(await seen(root, 'a/b/c/g')).toBe('644 1000/1000');
    });

    it('gives a file’s new parent directories to --chown', async () => {
      await copy(['f'], '/x/y/f', '1000:1000');
      expect(await seen(root, 'x')).toBe('755 1000/1000');
      expect(await seen(root, 'x/y')).toBe('755 1000/1000');
      expect(await seen(root, 'x/y/f')).toBe('644 1000/1000');
    });

    it('leaves a destination that exists as it was', async () => {
      await mkdir(join(root, 'kept'));
      await chmod(join(root, 'kept'), 0o711);
      await copy(['sub'], '/kept/', '1000:1000');
      await copy(['f'], '/kept/', '1000:1000');
      expect(await seen(root, 'kept')).toBe('711 0/0');
      expect(await seen(root, 'kept/f')).toBe('644 1000/1000');
    });
  },
);
