import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * removeAllContainers is `docker rm -f` of every container through the Engine API at `url`, so a
 * test run leaves no process, mount, address or firewall rule behind. Best effort: a topology
 * without a runtime has nothing to remove.
 */
export async function removeAllContainers(url: string): Promise<void> {
  const listed = await fetch(`${url}/containers/json?all=1`).catch(() => undefined);
  if (!listed?.ok) return;
  const containers = (await listed.json()) as { Id: string }[];
  for (const { Id } of containers) {
    await fetch(`${url}/containers/${Id}?force=1&v=1`, { method: 'DELETE' }).catch(() => undefined);
  }
}

/**
 * releaseDataRoot is the last resort before a data root is deleted: whatever the runtime could not
 * remove (it crashed, a test killed it) is killed and unmounted, so `rm -rf` never walks into a
 * mounted container root.
 */
export async function releaseDataRoot(root: string): Promise<void> {
  const runcRoot = join(root, 'runtime', 'runc');
  for (const id of await readdir(runcRoot).catch(() => [])) {
    await run('runc', ['--root', runcRoot, 'delete', '--force', id]).catch(() => undefined);
  }
  await run('pkill', ['-KILL', '-f', `conmon.*${root}/`]).catch(() => undefined);
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await run('umount', ['-l', point]).catch(() => undefined);
}
