import { Injectable } from '@nestjs/common';
import {
  ContainerActionResultV1,
  ContainerJsonV1,
  INSPECT_CONTAINER_V1,
  KILL_CONTAINER_V1,
  REMOVE_CONTAINER_V1,
  RENAME_CONTAINER_V1,
  RESIZE_CONTAINER_V1,
  RESTART_CONTAINER_V1,
  START_CONTAINER_V1,
  STOP_CONTAINER_V1,
} from '@stevedore/contracts';
import { DomainError, isDomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { assertContainerName } from './container-name';

/** StopCommand is `POST /containers/{id}/stop|restart?t&signal`. */
export interface StopCommand {
  id: string;
  timeout?: number;
  signal?: string;
}

/** StartContainerUseCase is `docker start`: true when it started, false when it already ran (304). */
@Injectable()
export class StartContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(id: string): Promise<boolean> {
    const result = await this.bus.send<ContainerActionResultV1 | null>(START_CONTAINER_V1, { id });
    return result?.notModified !== true;
  }
}

/** StopContainerUseCase is `docker stop` (false: it was not running, 304) and `docker restart`. */
@Injectable()
export class StopContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async stop(command: StopCommand): Promise<boolean> {
    const result = await this.bus.send<ContainerActionResultV1 | null>(STOP_CONTAINER_V1, command);
    return result?.notModified !== true;
  }

  async restart(command: StopCommand): Promise<void> {
    await this.bus.send(RESTART_CONTAINER_V1, command);
  }
}

/**
 * KillContainerUseCase is `docker kill`: dockerd 20.10 prefixes every failure with `Cannot kill
 * container: <name>: ` (a missing container included), keeping its status.
 */
@Injectable()
export class KillContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(id: string, signal?: string): Promise<void> {
    try {
      await this.bus.send(KILL_CONTAINER_V1, { id, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      throw new DomainError(err.code, `Cannot kill container: ${id}: ${err.message}`, err.details);
    }
  }
}

/**
 * RemoveContainerUseCase is `docker rm`: without force a running (or paused) container is
 * dockerd 20.10's CONFLICT, worded here so every runtime answers the same.
 */
@Injectable()
export class RemoveContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(id: string, force: boolean, volumes: boolean): Promise<void> {
    if (!force) {
      const c = await this.bus.send<ContainerJsonV1>(INSPECT_CONTAINER_V1, { id });
      if (c.State.Running) throw DomainError.conflict(runningRemovalMessage(c));
    }
    await this.bus.send(REMOVE_CONTAINER_V1, { id, force, volumes });
  }
}

/** runningRemovalMessage is dockerd 20.10's refusal to remove a running or paused container. */
export function runningRemovalMessage(c: ContainerJsonV1): string {
  const state = c.State.Paused ? 'paused' : c.State.Restarting ? 'restarting' : 'running';
  const procedure = 'Stop the container before attempting removal or force remove';
  const how = state === 'paused' ? `Unpause and then ${procedure.toLowerCase()}` : procedure;
  return `You cannot remove a ${state} container ${c.Id}. ${how}`;
}

/** RenameContainerUseCase is `docker rename`, the new name checked (and worded) as dockerd 20.10 does. */
@Injectable()
export class RenameContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(id: string, name: string): Promise<void> {
    if (id === '' || name === '')
      throw DomainError.invalidArgument('Neither old nor new names may be empty');
    try {
      assertContainerName(`/${name.replace(/^\//, '')}`);
    } catch (err) {
      throw DomainError.invalidArgument(
        `Error when allocating new name: ${(err as Error).message}`,
      );
    }
    await this.bus.send(RENAME_CONTAINER_V1, { id, name: name.replace(/^\//, '') });
  }
}

/** ResizeContainerUseCase is `POST /containers/{id}/resize?h&w` (a TTY's size). */
@Injectable()
export class ResizeContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(id: string, height: number, width: number): Promise<void> {
    await this.bus.send(RESIZE_CONTAINER_V1, { id, height, width });
  }
}
