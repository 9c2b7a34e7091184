import { execFileSync } from 'node:child_process';
import { link, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Digest, MediaType } from '@stevedore/domain';
import { Images, asRoot, collect, listing } from '../test/containers';
import { layerTar } from './layer-tar';
import { releaseRootfs } from './rootfs';

const rootOnly = asRoot ? describe : describe.skip;
const DATA = '/tmp/r3/layer-tar';
const LONG = `usr/${'a-long-directory-name/'.repeat(6)}${'f'.repeat(110)}`;
// A version-2 file capability (cap_net_raw and cap_setuid permitted/effective): binary bytes.
const CAP = Buffer.from('0100000280200000802000000000000000000000', 'hex');

function setCapability(file: string): void {
  const script =
    'import os,sys; os.setxattr(sys.argv[1], "security.capability", bytes.fromhex(sys.argv[2]))';
  execFileSync('python3', ['-c', script, file, CAP.toString('hex')]);
}

function getCapability(file: string): string {
  const script = 'import os,sys; print(os.getxattr(sys.argv[1], "security.capability").hex())';
  return execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }).trim();
}

/** What a container does before the commit: adds, deletes, replaces, links. */
async function changeThings(root: string): Promise<void> {
  await writeFile(join(root, 'tmp/new'), 'new file');
  await rm(join(root, 'd/g'));
  await rm(join(root, 'd/sub'), { recursive: true });
  await mkdir(join(root, 'd/sub'));
  await writeFile(join(root, 'd/sub/x'), 'in a recreated dir');
  await rm(join(root, 'etc/hostname'));
  await mkdir(join(root, LONG, '..'), { recursive: true });
  await writeFile(join(root, LONG), 'deep');
  await writeFile(join(root, 'tmp/tool'), '#!/bin/sh\n', { mode: 0o4755 });
  await link(join(root, 'tmp/tool'), join(root, 'tmp/tool-alias'));
  await symlink('/etc/passwd', join(root, 'root/lnk'));
  setCapability(join(root, 'tmp/tool'));
}

rootOnly(`layerTar${asRoot ? '' : ' (skipped: needs root)'}`, () => {
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
  ] as const)('in %s mode', (mode, overlay) => {
    let tar: Buffer;
    let root: string;

    beforeAll(async () => {
      const plan = await images.container(`commit-${mode}`, overlay);
      dirs.push(join(plan.target, '..'));
      root = plan.target;
      await changeThings(root);
      tar = await collect(layerTar(plan));
    });

    it('round-trips: the image plus the layer, unpacked by applyTar, is the container root', async () => {
      const layer = {
        digest: Digest.parse(images.store.put(gzipSync(tar))),
        mediaType: MediaType.OciLayerGzip,
        diffId: Digest.fromBytes(tar),
      };
      await images.snapshots.unpackLayer(layer);
      const check = await images.container(`check-${mode}`, false, [...images.layers, layer]);
      dirs.push(join(check.target, '..'));
      // Each container has its own init layer (new mtimes): the image and the layer are compared.
      expect(imageListing(check.target)).toEqual(imageListing(root));
    });

    it('names whiteouts as GNU tar and Docker read them, with PAX long names', () => {
      const names = execFileSync('tar', ['-tf', '-'], { input: tar, encoding: 'utf8' }).split('\n');
      expect(names).toContain('d/.wh.g');
      expect(names).toContain('etc/.wh.hostname');
      expect(names).toContain(LONG);
      if (mode === 'overlay') expect(names).toContain('d/sub/.wh..wh..opq');
      else expect(names).toContain('d/sub/.wh.f');
      expect(names.filter((n) => n.startsWith('tmp/tool'))).toEqual(['tmp/tool', 'tmp/tool-alias']);
      const verbose = execFileSync('tar', ['-tvf', '-'], { input: tar, encoding: 'utf8' });
      expect(verbose).toMatch(/^hrwsr-xr-x 0\/0 +0 .* tmp\/tool-alias link to tmp\/tool$/m);
      expect(verbose).toMatch(/^lrwxrwxrwx 0\/0 +0 .* root\/lnk -> \/etc\/passwd$/m);
    });

    it('keeps security.capability byte for byte (GNU tar --xattrs extracts it)', async () => {
      const out = join(DATA, `extract-${mode}`);
      await mkdir(out, { recursive: true });
      execFileSync('tar', ['--xattrs', '--xattrs-include=security.*', '-xf', '-', '-C', out], {
        input: tar,
      });
      expect(getCapability(join(out, 'tmp/tool'))).toBe(CAP.toString('hex'));
    });

    it('is the same bytes when written twice', async () => {
      const plan = { ...(await planOf(root, mode)) };
      expect(Digest.fromBytes(await collect(layerTar(plan)))).toEqual(Digest.fromBytes(tar));
    });
  });

  async function planOf(root: string, mode: 'overlay' | 'copy') {
    const base = join(root, '..');
    const lowerdir = [...images.layers]
      .reverse()
      .map((l) => images.snapshots.layout.snapshot(l.diffId) + '/fs');
    return {
      mode,
      lowerdir: [join(base, 'init'), ...lowerdir],
      upperdir: join(base, 'upper'),
      workdir: join(base, 'work'),
      target: root,
      options: '',
    };
  }
});

const INIT_ENTRY = /^\.\/(\.dockerenv|dev|proc|sys|etc\/(hosts|hostname|resolv\.conf|mtab))( |\/)/;

/**
 * imageListing is {@link listing} without the init layer's mount points, lines trimmed (find's last
 * line loses its trailing blank) and `/etc`'s mtime masked: the init layer writes into it.
 */
function imageListing(dir: string): string[] {
  return listing(dir)
    .filter((line) => !INIT_ENTRY.test(line))
    .map((line) => line.trimEnd().replace(/^(\.\/etc d\S+ \S+ -) \d+$/, '$1 <mtime>'));
}
