import { Injectable } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import type { CreateContainerResultV1, CreateContainerV1, ImageRecord } from '@stevedore/contracts';
import { GET_IMAGE_V1 } from '@stevedore/contracts';
import { Digest } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { prepareRootfs, releaseRootfs } from '@stevedore/snapshots';
import { commandOf, mergeConfig, type ImageConfig } from '../config/merge-config';
import { parseHostConfig } from '../config/host-config';
import { createdState } from '../lifecycle/state';
import type { ContainerRecord } from '../store/container-record';
import { ContainerStore } from '../store/container-store';
import { EngineEvents } from '../support/engine-events';
import { RuntimeSnapshots } from '../support/runtime-snapshots';
import { Volumes } from '../support/volumes';
import { randomName } from './names';

/**
 * CreateContainerUseCase is `POST /containers/create`: everything is validated first (name,
 * HostConfig, command), then the image's layers are unpacked (once per diff ID), the root is
 * prepared (overlay, or a copy) and the record written. Nothing is left behind on failure.
 */
@Injectable()
export class CreateContainerUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly store: ContainerStore,
    private readonly snapshots: RuntimeSnapshots,
    private readonly volumes: Volumes,
    private readonly events: EngineEvents,
  ) {}

  async execute(request: CreateContainerV1): Promise<CreateContainerResultV1> {
    this.checkedName(request);
    parseHostConfig(request.hostConfig);
    const image = await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref: request.imageId });
    return this.createFrom(request, image);
  }

  /** createFrom creates a container of `image` (a build step's, `scratch` included). */
  async createFrom(
    request: CreateContainerV1,
    image: ImageRecord,
  ): Promise<CreateContainerResultV1> {
    const name = this.checkedName(request);
    const host = parseHostConfig(request.hostConfig);
    const parsed = JSON.parse(image.configJson) as ParsedImageConfig;
    const id = this.store.newId();
    const hostname = host.networkMode === 'host' ? osHostname() : id.slice(0, 12);
    const base = parsed.config ?? {};
    const config = mergeConfig(request.config, base, refOf(request, image), hostname);
    const command = commandOf(config);
    const diffIds = await this.unpack(image, parsed);
    const dir = await this.makeDir(id);
    try {
      const plan = await prepareRootfs(this.snapshots.snapshotter, diffIds, dir);
      const record: ContainerRecord = {
        id,
        name: name ?? randomName((n) => this.store.find(n) !== undefined),
        created: new Date().toISOString(),
        imageId: image.id,
        config,
        hostConfig: hostConfigOf(request.hostConfig, host.networkMode),
        ...command,
        state: createdState(),
        restartCount: 0,
        rootfsMode: plan.mode,
        diffIds: diffIds.map(String),
        mounts: await this.volumes.mountsFor(host.binds, config.Volumes),
        ports: host.ports,
        hasTask: false,
      };
      await this.save(record, name);
      return { Id: id, Warnings: [] };
    } catch (err) {
      await releaseRootfs(this.snapshots.snapshotter, dir).catch(() => undefined);
      await this.store.remove(id);
      throw err;
    }
  }

  private checkedName(request: CreateContainerV1): string | undefined {
    const name = request.name ? request.name.replace(/^\//, '') : undefined;
    if (name !== undefined) this.store.checkName(name);
    return name;
  }

  /** unpack unpacks the image's layers (once per diff ID); its diff IDs, bottom first. */
  private async unpack(image: ImageRecord, parsed: ParsedImageConfig): Promise<Digest[]> {
    const diffIds = (parsed.rootfs?.diff_ids ?? []).map((d) => Digest.parse(d));
    await this.snapshots.unpackImage(image, diffIds);
    return diffIds;
  }

  private async makeDir(id: string): Promise<string> {
    const dir = this.store.dir(id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  private async save(record: ContainerRecord, name: string | undefined): Promise<void> {
    if (name !== undefined) this.store.checkName(name); // a racing create may have taken it
    await this.store.save(record);
    this.events.container('create', record);
  }
}

/** refOf is the container's `Image` as the request named it, else the image's ID. */
function refOf(request: CreateContainerV1, image: ImageRecord): string {
  return typeof request.config['Image'] === 'string' ? request.config['Image'] : image.id;
}

interface ParsedImageConfig {
  config?: ImageConfig;
  rootfs?: { diff_ids?: string[] };
}

/** hostConfigOf is the HostConfig inspect shows: the request's, with dockerd's defaults filled in. */
function hostConfigOf(raw: Record<string, unknown>, mode: string): Record<string, unknown> {
  const networkMode = raw['NetworkMode'] === 'default' || !raw['NetworkMode'] ? 'default' : mode;
  return {
    Binds: null,
    NetworkMode: networkMode,
    PortBindings: {},
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: false,
    Privileged: false,
    ReadonlyRootfs: false,
    CapAdd: null,
    CapDrop: null,
    LogConfig: { Type: 'json-file', Config: {} },
    ...raw,
  };
}
