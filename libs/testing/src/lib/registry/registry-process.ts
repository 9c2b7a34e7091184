import { ChildProcess, spawn } from 'node:child_process';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trackChild, withParentDeathSignal } from '../support/lifecycle';
import { freePort } from '../support/net';
import { renderRegistryConfig, RegistryConfigInput } from './registry-config';

/** REGISTRY_BINARY is Debian's packaging of CNCF distribution 2.8. */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/** RegistryProcess is a spawned registry listening on `port`. */
export interface RegistryProcess {
  child: ChildProcess;
  port: number;
  logFile: string;
}

const START_TIMEOUT_MS = 15_000;
const PORT_ATTEMPTS = 4;

/**
 * spawnRegistry writes a config into `workDir`, starts the registry with stdout/stderr appended to
 * `workDir/registry.log`, and resolves once `GET /v2/` answers. Another process may grab the free
 * port between probe and bind, so a bind failure is retried on a new port.
 */
export async function spawnRegistry(
  workDir: string,
  input: Omit<RegistryConfigInput, 'port'>,
): Promise<RegistryProcess> {
  const logFile = join(workDir, 'registry.log');
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    const configFile = join(workDir, 'config.yml');
    await writeFile(configFile, renderRegistryConfig({ ...input, port }));
    const child = await spawnLogged(configFile, logFile);
    try {
      await waitUntilServing(child, port, logFile);
      return { child, port, logFile };
    } catch (err) {
      lastError = err as Error;
      child.kill('SIGKILL');
      if (!/address already in use/.test(lastError.message)) break;
    }
  }
  throw lastError ?? new Error('registry did not start');
}

async function spawnLogged(configFile: string, logFile: string): Promise<ChildProcess> {
  const log = await open(logFile, 'a');
  try {
    const [file, args] = withParentDeathSignal(REGISTRY_BINARY, ['serve', configFile]);
    const child = spawn(file, args, { stdio: ['ignore', log.fd, log.fd] });
    trackChild(child);
    // A registry a test forgot to stop must not keep Jest alive; the parent-death signal reaps it.
    child.unref();
    return child;
  } finally {
    // The child holds its own copy of the descriptor.
    await log.close();
  }
}

async function waitUntilServing(child: ChildProcess, port: number, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited during startup: ${await logTail(logFile)}`);
    }
    try {
      // Any HTTP answer (200 anonymous, 401 with auth) proves the API is up.
      const res = await fetch(`http://127.0.0.1:${port}/v2/`, {
        signal: AbortSignal.timeout(1000),
      });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(
    `docker-registry did not answer on port ${port} within ${START_TIMEOUT_MS} ms: ${await logTail(logFile)}`,
  );
}

async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-5).join('\n');
}
