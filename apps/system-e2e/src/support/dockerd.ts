import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DOCKERD = '/usr/sbin/dockerd';

/** Dockerd is a real dockerd 20.10 (Debian's docker.io) on its own socket: the oracle. */
export interface Dockerd {
  /** `unix:///…/docker.sock`, for DOCKER_HOST. */
  readonly host: string;
  stop(): Promise<void>;
}

/** dockerdAvailable tells whether the oracle can run here (the binary, and root to run it). */
export function dockerdAvailable(): boolean {
  return existsSync(DOCKERD) && process.getuid?.() === 0;
}

/**
 * startDockerd starts a dockerd with everything under a fresh temp dir (vfs storage, no bridge,
 * no iptables: it touches nothing of the host's), and resolves once its socket answers. `flags`
 * are more dockerd flags (the registry settings Stevedore is given too), `env` more environment
 * (e.g. a dead HTTPS_PROXY, so that a mirror test can never fall back to the real Docker Hub).
 */
export async function startDockerd(
  flags: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<Dockerd> {
  const dir = await mkdtemp(join(tmpdir(), 'stevedore-oracle-'));
  const socket = join(dir, 'docker.sock');
  const child: ChildProcess = spawn(
    DOCKERD,
    [
      ...['--data-root', join(dir, 'root'), '--exec-root', join(dir, 'exec')],
      ...['--pidfile', join(dir, 'pid'), '-H', `unix://${socket}`],
      ...['--storage-driver=vfs', '--bridge=none', '--iptables=false'],
      ...flags,
    ],
    { stdio: 'ignore', env: { ...process.env, ...env } },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 150; i++) {
    if (existsSync(socket)) return { host: `unix://${socket}`, stop };
    await new Promise((done) => setTimeout(done, 200));
  }
  await stop();
  throw new Error('dockerd did not start within 30 s');
}
