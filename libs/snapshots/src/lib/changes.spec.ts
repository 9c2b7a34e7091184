import { appendFile, chmod, mkdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Images, asRoot } from '../test/containers';
import { containerChanges } from './changes';
import { releaseRootfs, type RootfsPlan } from './rootfs';

// Whiteouts are character devices (mknod) and overlay mounts need CAP_SYS_ADMIN.
const rootOnly = asRoot ? describe : describe.skip;
const DATA = '/tmp/r3/changes';

/** The `docker diff` of the same steps in busybox on dockerd 20.10 (vfs and overlay2 agree). */
const DOCKER_DIFF = [
  'C /d',
  'C /d/sub',
  'A /d/sub/x',
  'D /d/sub/f',
  'D /d/g',
  'C /etc',
  'C /etc/passwd',
  'A /new',
  'A /new/dir',
  'A /new/dir/deep',
  'C /root',
  'A /root/lnk',
  'C /tmp',
  'A /tmp/new',
  'C /usr',
  'C /usr/share',
  'C /usr/share/doc',
];

/** The steps run in the dockerd container, done here on the container root. */
async function dockerSteps(root: string): Promise<void> {
  await writeFile(join(root, 'tmp/new'), '');
  await rm(join(root, 'd/g'));
  await appendFile(join(root, 'etc/passwd'), 'y\n');
  await mkdir(join(root, 'new/dir/deep'), { recursive: true });
  await rm(join(root, 'd/sub'), { recursive: true });
  await mkdir(join(root, 'd/sub'));
  await writeFile(join(root, 'd/sub/x'), '');
  await chmod(join(root, 'usr/share/doc'), 0o700);
  await symlink('/etc/passwd', join(root, 'root/lnk'));
}

function asText(changes: { Path: string; Kind: number }[]): string[] {
  return changes.map((c) => `${'CAD'[c.Kind]} ${c.Path}`);
}

rootOnly(`containerChanges${asRoot ? '' : ' (skipped: needs root)'}`, () => {
  const images = new Images(DATA);
  const plans: RootfsPlan[] = [];

  beforeAll(async () => {
    await rm(DATA, { recursive: true, force: true });
    await images.unpack();
  });
  afterAll(async () => {
    for (const plan of plans) await releaseRootfs(images.snapshots, join(plan.target, '..'));
    await rm(DATA, { recursive: true, force: true });
  });

  describe.each([
    ['overlay', true],
    ['copy', false],
  ] as const)('in %s mode', (mode, overlay) => {
    async function container(name: string): Promise<RootfsPlan> {
      const plan = await images.container(`${name}-${mode}`, overlay);
      expect(plan.mode).toBe(mode);
      plans.push(plan);
      return plan;
    }

    it('reports nothing for a fresh container', async () => {
      const plan = await container('fresh');
      expect(await containerChanges(plan)).toEqual([]);
    });

    it("answers what dockerd's docker diff answers, in a fixed order", async () => {
      const plan = await container('docker');
      await dockerSteps(plan.target);
      expect(asText(await containerChanges(plan))).toEqual(DOCKER_DIFF);
    });

    it('reports deletions of lower-layer names and a file where the image deleted a directory', async () => {
      const plan = await container('more');
      await rm(join(plan.target, 'etc/hostname'));
      await rm(join(plan.target, 'd'), { recursive: true });
      await writeFile(join(plan.target, 'gone'), 'a file where the image deleted a dir');
      expect(asText(await containerChanges(plan))).toEqual([
        'C /etc',
        'D /etc/hostname',
        'A /gone',
        'D /d',
      ]);
    });

    it('sees a rewrite that kept size and mtime (compared byte for byte)', async () => {
      const plan = await container('sneaky');
      const file = join(plan.target, 'etc/passwd');
      const before = await stat(file);
      await writeFile(file, 'ROOT:x:0:0:root:/root:/bin/sh\n');
      await utimes(file, before.atime, before.mtime);
      expect(asText(await containerChanges(plan))).toEqual(['C /etc', 'C /etc/passwd']);
    });
  });
});
