import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import {
  CHANGES_CONTAINER_V1,
  ContainerActionResultV1,
  ContainerJsonV1,
  ContainerListV1,
  ContainerRefV1,
  CREATE_CONTAINER_V1,
  CreateContainerResultV1,
  CreateContainerV1,
  IMAGES_IN_USE_V1,
  ImagesInUseV1,
  INSPECT_CONTAINER_V1,
  InspectContainerV1,
  KILL_CONTAINER_V1,
  KillContainerV1,
  LIST_CONTAINERS_V1,
  ListContainersV1,
  PRUNE_CONTAINERS_V1,
  PruneContainersResultV1,
  PruneContainersV1,
  REMOVE_CONTAINER_V1,
  RemoveContainerV1,
  RENAME_CONTAINER_V1,
  RenameContainerV1,
  RESIZE_CONTAINER_V1,
  ResizeContainerV1,
  RESTART_CONTAINER_V1,
  START_CONTAINER_V1,
  STOP_CONTAINER_V1,
  StopContainerV1,
  TOP_CONTAINER_V1,
  TopContainerV1,
  TopResultV1,
  WAIT_CONTAINER_V1,
  WaitContainerV1,
  WaitEventV1,
} from '@stevedore/contracts';
import type { ContainerChange } from '@stevedore/snapshots';
import { ContainerLifecycle } from './lifecycle/container-lifecycle';
import { ContainerQueries } from './use-cases/container-queries';
import { CreateContainerUseCase } from './use-cases/create-container.use-case';
import { ContainerProcessUseCase } from './use-cases/inspect-process.use-case';
import { ManageContainersUseCase } from './use-cases/manage-containers.use-case';
import { RemoveContainerUseCase } from './use-cases/remove-container.use-case';
import { WaitContainerUseCase } from './use-cases/wait-container.use-case';

/** ContainersHandler is the runtime's bus surface for containers: one use-case per message. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ContainersHandler {
  constructor(
    private readonly create: CreateContainerUseCase,
    private readonly lifecycle: ContainerLifecycle,
    private readonly queries: ContainerQueries,
    private readonly removal: RemoveContainerUseCase,
    private readonly waits: WaitContainerUseCase,
    private readonly manage: ManageContainersUseCase,
    private readonly process: ContainerProcessUseCase,
  ) {}

  @MessagePattern(CREATE_CONTAINER_V1)
  onCreate(@Payload() r: CreateContainerV1): Promise<CreateContainerResultV1> {
    return this.create.execute(r);
  }

  @MessagePattern(START_CONTAINER_V1)
  async onStart(@Payload() r: ContainerRefV1): Promise<ContainerActionResultV1> {
    return { notModified: !(await this.lifecycle.start(r.id)) };
  }

  @MessagePattern(STOP_CONTAINER_V1)
  async onStop(@Payload() r: StopContainerV1): Promise<ContainerActionResultV1> {
    return { notModified: !(await this.lifecycle.stop(r.id, r.timeout, r.signal)) };
  }

  @MessagePattern(RESTART_CONTAINER_V1)
  async onRestart(@Payload() r: StopContainerV1): Promise<ContainerActionResultV1> {
    await this.lifecycle.stop(r.id, r.timeout, r.signal);
    await this.lifecycle.start(r.id);
    return {};
  }

  @MessagePattern(KILL_CONTAINER_V1)
  async onKill(@Payload() r: KillContainerV1): Promise<object> {
    await this.lifecycle.kill(r.id, r.signal || undefined);
    return {};
  }

  @MessagePattern(WAIT_CONTAINER_V1)
  onWait(@Payload() r: WaitContainerV1): Observable<WaitEventV1> {
    return this.waits.execute(r);
  }

  @MessagePattern(INSPECT_CONTAINER_V1)
  onInspect(@Payload() r: InspectContainerV1): Promise<ContainerJsonV1> {
    return this.queries.inspect(r.id, r.size === true);
  }

  @MessagePattern(LIST_CONTAINERS_V1)
  async onList(@Payload() r: ListContainersV1): Promise<ContainerListV1> {
    return { containers: await this.queries.list(r) };
  }

  @MessagePattern(IMAGES_IN_USE_V1)
  onImagesInUse(): ImagesInUseV1 {
    return { images: this.queries.imagesInUse() };
  }

  @MessagePattern(REMOVE_CONTAINER_V1)
  async onRemove(@Payload() r: RemoveContainerV1): Promise<object> {
    await this.removal.execute(r);
    return {};
  }

  @MessagePattern(RENAME_CONTAINER_V1)
  async onRename(@Payload() r: RenameContainerV1): Promise<object> {
    await this.manage.rename(r);
    return {};
  }

  @MessagePattern(PRUNE_CONTAINERS_V1)
  onPrune(@Payload() r: PruneContainersV1): Promise<PruneContainersResultV1> {
    return this.manage.prune(r);
  }

  @MessagePattern(RESIZE_CONTAINER_V1)
  async onResize(@Payload() r: ResizeContainerV1): Promise<object> {
    await this.process.resize(r);
    return {};
  }

  @MessagePattern(TOP_CONTAINER_V1)
  onTop(@Payload() r: TopContainerV1): Promise<TopResultV1> {
    return this.process.top(r);
  }

  @MessagePattern(CHANGES_CONTAINER_V1)
  onChanges(@Payload() r: ContainerRefV1): Promise<ContainerChange[]> {
    return this.process.changes(r.id);
  }
}
