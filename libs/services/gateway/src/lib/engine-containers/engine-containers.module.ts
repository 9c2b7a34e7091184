import { Module } from '@nestjs/common';
import { RuntimeUsage } from '../use-cases/runtime-usage/runtime-usage';
import { EngineCommitController } from './commit.controller';
import { ContainerLookupController } from './container-lookup.controller';
import { ContainerStreamsController } from './container-streams.controller';
import { EngineContainersController } from './containers.controller';
import { EngineExecController } from './exec.controller';
import { CommitContainerUseCase } from './use-cases/commit.use-case';
import {
  ContainerChangesUseCase,
  PruneContainersUseCase,
  TopContainerUseCase,
} from './use-cases/container-queries.use-cases';
import { ContainerStreamsUseCase } from './use-cases/container-streams.use-case';
import { CreateContainerUseCase } from './use-cases/create-container.use-case';
import { ExecUseCases } from './use-cases/exec.use-cases';
import { InspectContainerUseCase } from './use-cases/inspect-container.use-case';
import {
  KillContainerUseCase,
  RemoveContainerUseCase,
  RenameContainerUseCase,
  ResizeContainerUseCase,
  StartContainerUseCase,
  StopContainerUseCase,
} from './use-cases/lifecycle.use-cases';
import { ListContainersUseCase } from './use-cases/list-containers.use-case';
import { WaitContainerUseCase } from './use-cases/wait-container.use-case';

/**
 * EngineContainersModule is the Engine API's container and exec endpoints. It needs a global Bus
 * and, for the byte streams, CONTAINER_IO from its composition root (optional: without it those
 * endpoints answer 503). The lookup fallback comes last, after every other container route.
 */
@Module({
  controllers: [
    EngineContainersController,
    ContainerStreamsController,
    EngineExecController,
    EngineCommitController,
    ContainerLookupController,
  ],
  providers: [
    RuntimeUsage,
    CreateContainerUseCase,
    ListContainersUseCase,
    InspectContainerUseCase,
    TopContainerUseCase,
    ContainerChangesUseCase,
    PruneContainersUseCase,
    StartContainerUseCase,
    StopContainerUseCase,
    KillContainerUseCase,
    RemoveContainerUseCase,
    RenameContainerUseCase,
    ResizeContainerUseCase,
    WaitContainerUseCase,
    CommitContainerUseCase,
    ExecUseCases,
    ContainerStreamsUseCase,
  ],
})
export class EngineContainersModule {}
