import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile, copyFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandResult, runCommand } from './app-process';

export const DOCKER = '/usr/local/bin/docker';

const APPLETS = ['sh', 'ls', 'touch', 'sleep', 'true', 'false', 'cat', 'echo', 'rm', 'mkdir'];

/**
 * busyboxRootfsTar writes `dir/busybox.tar`: a root filesystem of Debian's busybox-static with a
 * few applet links and an `/etc/passwd` (owned by root), the tar `docker import` makes busybox of.
 */
export async function busyboxRootfsTar(dir: string): Promise<string> {
  const binary = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!binary) throw new Error('busybox-static is not installed (/bin/busybox)');
  const root = join(dir, 'busybox-root');
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'tmp'), { recursive: true });
  await copyFile(binary, join(root, 'bin', 'busybox'));
  await chmod(join(root, 'bin', 'busybox'), 0o755);
  for (const applet of APPLETS) await symlink('busybox', join(root, 'bin', applet));
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  const tar = join(dir, 'busybox.tar');
  const owner = ['--owner=0', '--group=0', '--numeric-owner'];
  await promisify(execFile)('tar', ['-C', root, ...owner, '-cf', tar, '.']);
  return tar;
}

/** DockerCli runs the real docker CLI against one daemon (`DOCKER_HOST`), API 1.41 unless told. */
export interface DockerCli {
  readonly env: Record<string, string>;
  run(...args: string[]): Promise<CommandResult>;
  /** ok runs and expects exit code 0 (the failure shows the command and its stderr); stdout. */
  ok(...args: string[]): Promise<string>;
}

export function dockerCli(host: string, home: string, apiVersion?: string): DockerCli {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: home,
    DOCKER_HOST: host.replace(/^http:/, 'tcp:'),
    ...(apiVersion ? { DOCKER_API_VERSION: apiVersion } : {}),
  };
  const run = (...args: string[]) => runCommand(DOCKER, args, env, 120_000);
  const ok = async (...args: string[]) => {
    const result = await run(...args);
    if (result.code !== 0)
      throw new Error(`docker ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  return { env, run, ok };
}

/** importBusybox imports the busybox rootfs as `busybox:latest` with `CMD ["sh"]`; its ID. */
export async function importBusybox(cli: DockerCli, tar: string): Promise<string> {
  return (await cli.ok('import', '-c', 'CMD ["sh"]', tar, 'busybox:latest')).trim();
}
