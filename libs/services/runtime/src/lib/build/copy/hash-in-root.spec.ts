import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSources, sourceHash, type SourceTree } from './copy-sources';
import { hashInRoot } from './hash-in-root';

// The sums dockerd 20.10 wrote in the history of `COPY --from=a /out/f /f`, `COPY --from=a /out
// /o` and `COPY --from=a /out/sub/link /l` when stage `a` held this tree (files 0644, dirs 0755,
// all root's, `link` -> `../f`).
const FILE = 'file:dd3013ebb4a3407d65420b9ca457f8357d898aa81c619fc4d55b0ed59fbb3203';
const DIR = 'dir:d1d054ba62add2e3433c5c7c4bffe929990b246ef7f1fe133067244b5643f762';

const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot(
  `the COPY --from checksum, as dockerd 20.10 computes it${process.getuid?.() === 0 ? '' : ' (skipped: needs root)'}`,
  () => {
    let root: string;
    let tree: SourceTree;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'hash-in-root-'));
      await mkdir(join(root, 'out/sub'), { recursive: true });
      await writeFile(join(root, 'out/f'), 'hello\n');
      await writeFile(join(root, 'out/sub/g'), 'x\n');
      await symlink('../f', join(root, 'out/sub/link'));
      for (const dir of ['out', 'out/sub']) await chmod(join(root, dir), 0o755);
      for (const file of ['out/f', 'out/sub/g']) await chmod(join(root, file), 0o644);
      tree = { root, hash: (rel) => hashInRoot(root, rel), excluded: () => false };
    });

    afterAll(() => rm(root, { recursive: true, force: true }));

    it('names a file by its path in the image, so the same file hashes the same in every build', async () => {
      expect(sourceHash(await resolveSources(tree, ['/out/f'], 'COPY'))).toBe(FILE);
    });

    it('hashes a link as the file it leads to, under that file’s path', async () => {
      expect(sourceHash(await resolveSources(tree, ['/out/sub/link'], 'COPY'))).toBe(FILE);
    });

    it('hashes a directory from the sums of everything under it', async () => {
      expect(sourceHash(await resolveSources(tree, ['/out'], 'COPY'))).toBe(DIR);
    });

    it('changes with a file’s mode', async () => {
      await chmod(join(root, 'out/f'), 0o600);
      const changed = sourceHash(await resolveSources(tree, ['/out/f'], 'COPY'));
      await chmod(join(root, 'out/f'), 0o644);
      expect(changed).not.toBe(FILE);
    });

    it('hashes a dangling path as its name', async () => {
      expect(await hashInRoot(root, 'out/gone')).toBe('out/gone');
    });
  },
);
