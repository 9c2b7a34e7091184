import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import { join } from 'node:path';
import { ContainerNetworks } from '@stevedore/container-network';
import { ConmonRuntime } from '@stevedore/oci-runtime';
import { CONTAINER_IO, IMAGE_BUILDER } from '@stevedore/runtime-http';
import { BuildImageUseCase } from './build/build-image.use-case';
import { StepContainers } from './build/steps/step-containers';
import { ContainerCommitter } from './commit/container-committer';
import { CommitHandler } from './commit.handler';
import { ImageWriter } from './commit/image-writer';
import { ContainersHandler } from './containers.handler';
import { ExecHandler } from './exec.handler';
import { ContainerFiles } from './io/container-files';
import { ExecStore } from './io/exec-store';
import { LocalContainerIo } from './io/local-container-io';
import { CniNetworks } from './lifecycle/cni-networks';
import { ConmonProcesses } from './lifecycle/conmon-processes';
import { ContainerEvents } from './lifecycle/container-events';
import {
  INTERNAL_RUNTIME_LISTEN,
  InternalEndpoint,
  InternalRuntimeServer,
} from './internal-http/internal-runtime.server';
import { ContainerLifecycle } from './lifecycle/container-lifecycle';
import { NETWORKS, PROCESSES } from './lifecycle/runtime-ports';
import { ContainerStore } from './store/container-store';
import { ContainerSizes } from './support/container-sizes';
import { RuntimeSnapshots } from './support/runtime-snapshots';
import { EngineEvents } from './support/engine-events';
import { SnapshotCollector } from './support/snapshot-collector';
import { RUNTIME_DATA_ROOT } from './support/tokens';
import { Volumes } from './support/volumes';
import { ContainerQueries } from './use-cases/container-queries';
import { CommitContainerUseCase } from './use-cases/commit-container.use-case';
import { CreateContainerUseCase } from './use-cases/create-container.use-case';
import { ExecUseCase } from './use-cases/exec.use-case';
import { ContainerProcessUseCase } from './use-cases/inspect-process.use-case';
import { ManageContainersUseCase } from './use-cases/manage-containers.use-case';
import { RemoveContainerUseCase } from './use-cases/remove-container.use-case';
import { WaitContainerUseCase } from './use-cases/wait-container.use-case';

export interface RuntimeServiceOptions {
  /** Containers, snapshots, volumes and runc/conmon/CNI state live under it. */
  dataRoot: string;
  /** The bridge of `--network bridge` and its subnet (defaults `stevedore0`, 172.30.0.0/16). */
  bridge?: { name?: string; subnet?: string };
  /** Serve the container streams here, to callers with its token (cluster topology). */
  internalHttp?: InternalEndpoint;
}

/** The runtime's own services and use-cases (the ports above are bound per composition). */
const SERVICES = [
  ContainerLifecycle,
  RuntimeSnapshots,
  Volumes,
  ContainerSizes,
  CreateContainerUseCase,
  RemoveContainerUseCase,
  WaitContainerUseCase,
  ContainerQueries,
  ManageContainersUseCase,
  ContainerProcessUseCase,
  SnapshotCollector,
  EngineEvents,
  ImageWriter,
  ContainerCommitter,
  CommitContainerUseCase,
  StepContainers,
  BuildImageUseCase,
];

/** The byte streams (attach, exec, logs, cp, export) and `docker exec`'s records. */
const IO_PROVIDERS: Provider[] = [
  { provide: ExecStore, useFactory: () => new ExecStore() },
  ExecUseCase,
  ContainerFiles,
  LocalContainerIo,
  // The embedded gateway's ContainerIo: this runtime, by direct call.
  { provide: CONTAINER_IO, useExisting: LocalContainerIo },
  // The embedded gateway's ImageBuilder: this runtime's classic builder, by direct call.
  { provide: IMAGE_BUILDER, useExisting: BuildImageUseCase },
];

/** What the runtime's other modules (commit, the embedded gateway) use. */
const EXPORTS = [
  ContainerStore,
  ContainerLifecycle,
  ContainerEvents,
  RuntimeSnapshots,
  PROCESSES,
  ExecStore,
  CONTAINER_IO,
  IMAGE_BUILDER,
];

/** Recovery brings the records up to date with the host at start-up: exits missed, networks left. */
@Injectable()
class RuntimeRecovery implements OnApplicationBootstrap {
  constructor(
    private readonly store: ContainerStore,
    private readonly lifecycle: ContainerLifecycle,
    @Inject(NETWORKS) private readonly networks: CniNetworks,
    private readonly collector: SnapshotCollector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.load();
    await this.lifecycle.reconcile();
    const live = this.store
      .all()
      .filter((r) => r.state.Running)
      .map((r) => r.id);
    await this.networks.networks.reconcile(live);
    this.collector.soon();
  }
}

/** hostPorts are the runtime's ports onto the host: processes (conmon + runc) and CNI networks. */
function hostPorts(options: RuntimeServiceOptions, state: string): Provider[] {
  return [
    {
      provide: PROCESSES,
      useFactory: () => new ConmonProcesses(new ConmonRuntime({ stateRoot: state })),
    },
    { provide: NETWORKS, useFactory: () => networksOf(options, state) },
  ];
}

function networksOf(options: RuntimeServiceOptions, state: string): CniNetworks {
  return new CniNetworks(
    new ContainerNetworks({
      stateDir: join(state, 'network'),
      ...(options.bridge?.name ? { bridge: options.bridge.name } : {}),
      ...(options.bridge?.subnet ? { subnet: options.bridge.subnet } : {}),
    }),
  );
}

/**
 * RuntimeServiceModule owns the containers of its host: records, roots from the snapshots,
 * processes under conmon + runc, CNI networks, and the bus handlers. It needs the Bus, the
 * BLOB_STORE port and ContentLeases from its composition root (the embedded app or the runtime
 * process).
 */
@Module({})
export class RuntimeServiceModule {
  static forRoot(options: RuntimeServiceOptions): DynamicModule {
    const state = join(options.dataRoot, 'runtime');
    const internal = options.internalHttp
      ? [
          { provide: INTERNAL_RUNTIME_LISTEN, useValue: options.internalHttp },
          InternalRuntimeServer,
        ]
      : [];
    return {
      module: RuntimeServiceModule,
      global: true,
      controllers: [ContainersHandler, ExecHandler, CommitHandler],
      providers: [
        { provide: RUNTIME_DATA_ROOT, useValue: options.dataRoot },
        { provide: ContainerStore, useValue: new ContainerStore(options.dataRoot) },
        ContainerEvents,
        ...hostPorts(options, state),
        ...SERVICES,
        RuntimeRecovery,
        ...IO_PROVIDERS,
        ...internal,
      ],
      exports: EXPORTS,
    };
  }
}
