import type { ContainerJsonV1 } from './container-json';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';

/**
 * Container IDs and names as the Engine API takes them: a full or short ID, or a name (with or
 * without its leading `/`). The runtime resolves them as dockerd does (exact ID, exact name,
 * unique ID prefix).
 */
const CONTAINER_REF = /^\/?[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

export class ContainerRefV1 {
  @IsString() @Matches(CONTAINER_REF, { message: 'invalid container reference' }) id!: string;
}

export const CREATE_CONTAINER_V1 = 'runtime.container.create.v1' as const;
/**
 * Creates a container: `config` and `hostConfig` are the Engine API's `Config` and `HostConfig`
 * objects as the client sent them (validated by the runtime, which owns their meaning); `image`
 * is the image ID the gateway resolved `config.Image` to.
 */
export class CreateContainerV1 {
  @IsOptional() @IsString() @MaxLength(255) name?: string;
  @IsString() @MaxLength(255) imageId!: string;
  @IsObject() config!: Record<string, unknown>;
  @IsObject() hostConfig!: Record<string, unknown>;
  /** The image's config JSON (the runtime merges Cmd, Env, … from it). */
  @IsString() imageConfigJson!: string;
  /** The Engine API's `NetworkingConfig` (`EndpointsConfig` per network), as the client sent it. */
  @IsOptional() @IsObject() networkingConfig?: Record<string, unknown>;
  /** The `platform` the client asked for (`os/arch[/variant]`), already matched against the image. */
  @IsOptional() @IsString() @MaxLength(64) platform?: string;
}
export interface CreateContainerResultV1 {
  Id: string;
  Warnings: string[];
}

export const START_CONTAINER_V1 = 'runtime.container.start.v1' as const;
/**
 * What start, stop and restart answer: `notModified` when the container already was in the state
 * asked for (dockerd's 304: `docker start` of a running container, `docker stop` of a stopped one).
 */
export interface ContainerActionResultV1 {
  notModified?: boolean;
}
export const INSPECT_CONTAINER_V1 = 'runtime.container.inspect.v1' as const;
/** Inspect's payload: a {@link ContainerRefV1}, plus `size` (SizeRw/SizeRootFs, a slow walk) when asked. */
export class InspectContainerV1 extends ContainerRefV1 {
  @IsOptional() @IsBoolean() size?: boolean;
}
export const CHANGES_CONTAINER_V1 = 'runtime.container.changes.v1' as const;

export const STOP_CONTAINER_V1 = 'runtime.container.stop.v1' as const;
export const RESTART_CONTAINER_V1 = 'runtime.container.restart.v1' as const;
/** Stops (or restarts) a container: `signal` (default its StopSignal), then SIGKILL after `timeout` s. */
export class StopContainerV1 extends ContainerRefV1 {
  @IsOptional() @IsInt() @Min(-1) timeout?: number;
  @IsOptional() @IsString() @MaxLength(32) signal?: string;
}

export const KILL_CONTAINER_V1 = 'runtime.container.kill.v1' as const;
export class KillContainerV1 extends ContainerRefV1 {
  @IsOptional() @IsString() @MaxLength(32) signal?: string;
}

export const WAIT_CONTAINER_V1 = 'runtime.container.wait.v1' as const;
/** Streams `waiting` heartbeats until the condition holds, then one `exited`. */
export class WaitContainerV1 extends ContainerRefV1 {
  @IsIn(['not-running', 'next-exit', 'removed']) condition!:
    'not-running' | 'next-exit' | 'removed';
}
export type WaitEventV1 =
  { type: 'waiting' } | { type: 'exited'; StatusCode: number; Error?: { Message: string } };

export const LIST_CONTAINERS_V1 = 'runtime.container.list.v1' as const;
/** What LIST_CONTAINERS_V1 answers: every container (the gateway filters), any order. */
export interface ContainerListV1 {
  containers: ContainerJsonV1[];
}
export class ListContainersV1 {
  @IsBoolean() all!: boolean;
  /** Compute SizeRw and SizeRootFs (a walk of each container's changes: slow). */
  @IsBoolean() size!: boolean;
}

export const REMOVE_CONTAINER_V1 = 'runtime.container.remove.v1' as const;
export class RemoveContainerV1 extends ContainerRefV1 {
  @IsBoolean() force!: boolean;
  @IsBoolean() volumes!: boolean;
}

export const RENAME_CONTAINER_V1 = 'runtime.container.rename.v1' as const;
export class RenameContainerV1 extends ContainerRefV1 {
  @IsString() @MaxLength(255) name!: string;
}

export const RESIZE_CONTAINER_V1 = 'runtime.container.resize.v1' as const;
export class ResizeContainerV1 extends ContainerRefV1 {
  @IsInt() @Min(0) height!: number;
  @IsInt() @Min(0) width!: number;
}

export const TOP_CONTAINER_V1 = 'runtime.container.top.v1' as const;
export class TopContainerV1 extends ContainerRefV1 {
  @IsOptional() @IsString() @MaxLength(1024) psArgs?: string;
}
export interface TopResultV1 {
  Titles: string[];
  Processes: string[][];
}

export const PRUNE_CONTAINERS_V1 = 'runtime.container.prune.v1' as const;
/** Removes stopped containers created before `until` (Unix seconds) and matching every label filter. */
export class PruneContainersV1 {
  @IsOptional() @IsInt() until?: number;
  @IsOptional() @IsArray() @IsString({ each: true }) labels?: string[];
  @IsOptional() @IsArray() @IsString({ each: true }) notLabels?: string[];
}
export interface PruneContainersResultV1 {
  ContainersDeleted: string[];
  SpaceReclaimed: number;
}

export const COMMIT_CONTAINER_V1 = 'runtime.container.commit.v1' as const;
/**
 * `docker commit`: the container's changes become a layer on its image, the config is the
 * image's plus the container's settings plus `changes` (Dockerfile instructions), recorded and
 * tagged (`repo`/`tag`) like any image.
 */
export class CommitContainerV1 extends ContainerRefV1 {
  @IsOptional() @IsString() @MaxLength(4096) repo?: string;
  @IsOptional() @IsString() @MaxLength(128) tag?: string;
  @IsOptional() @IsString() @MaxLength(4096) author?: string;
  @IsOptional() @IsString() @MaxLength(65_536) comment?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) changes?: string[];
  @IsBoolean() pause!: boolean;
  /** The request body: a `Config` to merge over the container's (`docker commit` sends one). */
  @IsOptional() @IsObject() config?: Record<string, unknown>;
}
export interface CommitResultV1 {
  Id: string;
}

export const IMAGES_IN_USE_V1 = 'runtime.image.in-use.v1' as const;
/**
 * Which images containers use, for rmi conflicts, image prune and `system df`: the answer is
 * {@link ImagesInUseV1} (images no container uses are absent).
 */
export interface ImageUseV1 {
  imageId: string;
  containers: { id: string; running: boolean }[];
}
export interface ImagesInUseV1 {
  images: ImageUseV1[];
}
