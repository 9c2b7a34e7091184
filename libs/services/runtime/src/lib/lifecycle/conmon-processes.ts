import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { ConmonRuntime, buildSpec } from '@stevedore/oci-runtime';
import type { ProcessState, Processes, TaskSpec } from './runtime-ports';

/**
 * ConmonProcesses is the {@link Processes} port on `@stevedore/oci-runtime`: it writes the task's
 * OCI spec (Docker's defaults) into its bundle, then has conmon run runc.
 */
export class ConmonProcesses implements Processes {
  constructor(readonly runtime: ConmonRuntime) {}

  async createTask(task: TaskSpec): Promise<{ pid: number }> {
    const spec = await buildSpec({
      id: task.id,
      rootfs: task.rootfs,
      readonlyRootfs: task.readonlyRootfs,
      args: task.args,
      env: task.env,
      cwd: task.cwd,
      user: task.user,
      tty: task.tty,
      openStdin: task.openStdin,
      hostname: task.hostname,
      mounts: task.mounts,
      etcFiles: task.files,
      labels: task.labels,
      privileged: task.privileged,
      capAdd: task.capAdd,
      capDrop: task.capDrop,
      network: task.network,
      resources: task.resources,
    });
    await mkdir(task.bundle, { recursive: true, mode: 0o700 });
    await writeDurably(join(task.bundle, 'config.json'), JSON.stringify(spec));
    return this.runtime.create({
      id: task.id,
      bundle: task.bundle,
      logPath: task.logPath,
      exitDir: join(task.bundle, 'exits'),
      tty: task.tty,
      openStdin: task.openStdin,
      stdinOnce: task.stdinOnce,
    });
  }

  startTask(id: string): Promise<void> {
    return this.runtime.start(id);
  }

  state(id: string): Promise<ProcessState | undefined> {
    return this.runtime.state(id);
  }

  kill(id: string, signal: string): Promise<void> {
    return this.runtime.kill(id, signal);
  }

  deleteTask(id: string, force: boolean): Promise<void> {
    return this.runtime.delete(id, { force });
  }

  waitExit(id: string): Promise<number> {
    return this.runtime.waitExit(id);
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
}
