import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { buildSpec, type ContainerSpecInput } from '../index';

export const asRoot = process.getuid?.() === 0;
export const TEST_ROOT = '/tmp/r1';

/** makeBusyboxRoot copies the host's static busybox into a fresh root and installs its applets. */
export function makeBusyboxRoot(dir: string): string {
  const rootfs = join(dir, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(rootfs, 'bin/busybox'));
  execFileSync('chroot', [rootfs, '/bin/busybox', '--install', '-s', '/bin']);
  for (const d of ['etc', 'tmp', 'proc', 'sys', 'dev'])
    mkdirSync(join(rootfs, d), { recursive: true });
  writeFileSync(
    join(rootfs, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n',
  );
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\napp:x:1000:\nstaff:x:50:app\n');
  return rootfs;
}

export function tempDir(prefix: string): string {
  mkdirSync(TEST_ROOT, { recursive: true });
  return mkdtempSync(join(TEST_ROOT, prefix));
}

/** writeBundle writes config.json for `input` into `bundle` and returns the spec's paths. */
export async function writeBundle(bundle: string, input: ContainerSpecInput): Promise<void> {
  const spec = await buildSpec(input);
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec, null, 1));
}

/** Collect gathers what is written into it. */
export class Collect extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.chunks.push(chunk);
    cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function input(): PassThrough {
  return new PassThrough();
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
