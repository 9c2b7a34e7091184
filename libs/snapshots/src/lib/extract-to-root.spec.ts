import { existsSync } from 'node:fs';
import { appendFile, lstat, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Images, asRoot } from '../test/containers';
import { type TestEntry, tarOf } from '../test/layers';
import { extractToRoot } from './extract-to-root';
import { releaseRootfs } from './rootfs';

const rootOnly = asRoot ? describe : describe.skip;
const DATA = '/tmp/r3/extract';
const PREFIX = 'Error processing tar file(exit status 1): ';

async function tar(entries: TestEntry[]): Promise<Readable> {
  return Readable.from([await tarOf(entries)]);
}

rootOnly(`extractToRoot${asRoot ? '' : ' (skipped: needs root)'}`, () => {
  const images = new Images(DATA);
  const dirs: string[] = [];

  beforeAll(async () => {
    await rm(DATA, { recursive: true, force: true });
    await images.unpack();
  });
  afterAll(async () => {
    for (const dir of dirs) await releaseRootfs(images.snapshots, dir);
    await rm(DATA, { recursive: true, force: true });
  });

  describe.each([
    ['overlay', true],
    ['copy', false],
  ] as const)('into a %s root', (mode, overlay) => {
    let root: string;
    let n = 0;

    beforeEach(async () => {
      const plan = await images.container(`x-${mode}-${n++}`, overlay);
      dirs.push(join(plan.target, '..'));
      root = plan.target;
      await symlink('/d', join(root, 'root/dl'));
      await symlink('/etc', join(root, 'd/hostetc'));
    });

    it('writes files with their mode, owner and mtime; a directory merges', async () => {
      await extractToRoot(
        root,
        '/d',
        await tar([
          { name: 'sub/', type: 'directory', mode: 0o750 },
          { name: 'sub/new', content: 'new', mode: 0o4711, uid: 7, gid: 8 },
        ]),
      );
      const file = await lstat(join(root, 'd/sub/new'));
      expect([file.mode & 0o7777, file.uid, file.gid]).toEqual([0o4711, 7, 8]);
      expect(file.mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
      expect((await readdir(join(root, 'd/sub'))).sort()).toEqual(['f', 'new']);
    });

    it('follows a destination symlink and in-root links of the parents, inside the root', async () => {
      await extractToRoot(
        root,
        '/root/dl',
        await tar([
          { name: '/abs', content: 'absolute name' },
          { name: 'hostetc/evil', content: 'into the container etc' },
        ]),
      );
      expect(await readFile(join(root, 'd/abs'), 'utf8')).toBe('absolute name');
      expect(await readFile(join(root, 'etc/evil'), 'utf8')).toBe('into the container etc');
      expect(existsSync('/etc/evil')).toBe(false);
    });

    it('owns the files by the container user with copyUIDGID', async () => {
      await appendFile(join(root, 'etc/passwd'), 'app:x:1234:5678::/:/bin/sh\n');
      const entries = await tar([{ name: 'owned', content: 'x', uid: 1, gid: 1 }]);
      await extractToRoot(root, '/tmp', entries, { copyUIDGID: true, user: 'app' });
      const file = await lstat(join(root, 'tmp/owned'));
      expect([file.uid, file.gid]).toEqual([1234, 5678]);
    });

    it.each([
      ['/nope', 'NOT_FOUND', 'Could not find the file /nope in container c1'],
      ['/etc/passwd', 'INVALID_ARGUMENT', 'extraction point is not a directory'],
    ])('refuses the destination %s', async (dest, code, message) => {
      const entries = await tar([{ name: 'f', content: 'x' }]);
      await expect(extractToRoot(root, dest, entries, { container: 'c1' })).rejects.toMatchObject({
        code,
        message,
      });
    });

    it.each([
      [
        'a dir over a file',
        [{ name: 'g/', type: 'directory' }],
        'cannot overwrite non-directory "/d/g" with directory "/d"',
      ],
      [
        'a file over a dir',
        [{ name: 'sub', content: '' }],
        'cannot overwrite directory "/d/sub" with non-directory "/d"',
      ],
    ] as [string, TestEntry[], string][])(
      'with noOverwriteDirNonDir refuses %s',
      async (_w, entries, message) => {
        await expect(
          extractToRoot(root, '/d', await tar(entries), { noOverwriteDirNonDir: true }),
        ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: PREFIX + message });
      },
    );

    it.each([
      [
        'a name climbing out',
        [{ name: '../../../../../../escape', content: 'x' }],
        '"../../../../../../escape" is outside of "/d"',
      ],
      [
        'a symlink out, then a write through it',
        [
          { name: 'ln', type: 'symlink', linkname: '../../../../../../../tmp/r3' },
          { name: 'ln/evil', content: 'x' },
        ],
        'invalid symlink "/d/ln" -> "../../../../../../../tmp/r3"',
      ],
      [
        'a hardlink to outside',
        [{ name: 'hl', type: 'link', linkname: '../../../../../../etc/passwd' }],
        'invalid hardlink "/etc/passwd" -> "../../../../../../etc/passwd"',
      ],
    ] as [string, TestEntry[], string][])(
      'refuses %s and writes nothing outside',
      async (_w, entries, message) => {
        const before = await readdir(DATA);
        await expect(extractToRoot(root, '/d', await tar(entries))).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: PREFIX + message,
        });
        expect(await readdir(DATA)).toEqual(before);
        expect(existsSync('/tmp/r3/evil')).toBe(false);
        expect(existsSync(join(root, 'd/ln'))).toBe(false);
      },
    );

    it('refuses a tar that is not one, in Docker words', async () => {
      const garbage = Readable.from([Buffer.alloc(1024, 'garbage')]);
      await expect(extractToRoot(root, '/d', garbage)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining(PREFIX),
      });
    });
  });
});
