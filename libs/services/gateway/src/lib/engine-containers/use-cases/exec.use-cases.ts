import { Injectable } from '@nestjs/common';
import { CREATE_EXEC_V1, ExecJsonV1, INSPECT_EXEC_V1, RESIZE_EXEC_V1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

const EXEC_ID = /^[a-f0-9]{64}$/;

/** execRef refuses what cannot be an exec ID as dockerd answers an unknown one (404). */
export function execRef(execId: string): { execId: string } {
  if (!EXEC_ID.test(execId)) throw DomainError.notFound(`No such exec instance: ${execId}`);
  return { execId };
}

/**
 * ExecUseCases are `docker exec`'s small calls: create (201 {Id}; an empty `Cmd` is dockerd's
 * 400 `No exec command specified`), inspect and resize. Starting one is a session (ContainerStreams).
 */
@Injectable()
export class ExecUseCases {
  constructor(private readonly bus: Bus) {}

  async create(id: string, config: unknown): Promise<{ Id: string }> {
    const body = (typeof config === 'object' && config !== null ? config : {}) as Record<
      string,
      unknown
    >;
    const cmd = body['Cmd'];
    if (!Array.isArray(cmd) || cmd.length === 0)
      throw DomainError.invalidArgument('No exec command specified');
    return this.bus.send<{ Id: string }>(CREATE_EXEC_V1, { id, config: body });
  }

  inspect(execId: string): Promise<ExecJsonV1> {
    return this.bus.send<ExecJsonV1>(INSPECT_EXEC_V1, execRef(execId));
  }

  async resize(execId: string, height: number, width: number): Promise<void> {
    await this.bus.send(RESIZE_EXEC_V1, { ...execRef(execId), height, width });
  }
}
