import type { GoConfig } from './commit-config';

/** EMPTY_TAR_DIFF_ID is the diff ID of a tar with no entries (1024 zero bytes): moby's `layer.EmptyLayer`. */
export const EMPTY_TAR_DIFF_ID =
  'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

/** ParentImage is the part of the parent's config JSON a child inherits. */
export interface ParentImage {
  architecture?: string;
  variant?: string;
  os?: string;
  rootfs?: { type?: string; diff_ids?: string[] };
  history?: unknown[];
  'os.version'?: string;
  'os.features'?: string[];
}

/** ChildImage is what a commit adds to its parent. */
export interface ChildImage {
  containerId: string;
  containerConfig: GoConfig;
  config: GoConfig;
  author?: string | undefined;
  comment?: string | undefined;
  diffId: string;
  /** When the commit happened (ISO 8601). */
  created: string;
  dockerVersion: string;
}

/**
 * childImageJson is moby's `image.NewChildImage` as JSON, keys in Go's order: the parent's
 * platform, diff IDs and history, plus the container, its config, the author and comment, and
 * one history entry whose `created_by` is the container's Cmd joined by spaces. An empty diff
 * (a tar with no entries) adds no diff ID and marks the history entry `empty_layer`.
 */
export function childImageJson(parent: ParentImage, child: ChildImage): string {
  const empty = child.diffId === EMPTY_TAR_DIFF_ID;
  const cmd = child.containerConfig['Cmd'];
  const createdBy = Array.isArray(cmd) ? cmd.join(' ') : '';
  const history = {
    created: child.created,
    ...(child.author ? { author: child.author } : {}),
    ...(createdBy ? { created_by: createdBy } : {}),
    ...(child.comment ? { comment: child.comment } : {}),
    ...(empty ? { empty_layer: true } : {}),
  };
  const diffIds = [...(parent.rootfs?.diff_ids ?? []), ...(empty ? [] : [child.diffId])];
  // moby marshals the image through a map: top-level keys sorted, and (NewChildImage) no
  // top-level `comment` — the message lives in the history entry.
  return JSON.stringify({
    architecture: parent.architecture || goArch(),
    ...(child.author ? { author: child.author } : {}),
    config: child.config,
    container: child.containerId,
    container_config: child.containerConfig,
    created: child.created,
    docker_version: child.dockerVersion,
    history: [...(parent.history ?? []), history],
    os: 'linux',
    ...(parent['os.features']?.length ? { 'os.features': parent['os.features'] } : {}),
    ...(parent['os.version'] ? { 'os.version': parent['os.version'] } : {}),
    rootfs: { type: 'layers', diff_ids: diffIds },
    ...(parent.variant ? { variant: parent.variant } : {}),
  });
}

/** goArch is the host's architecture in Go's words, dockerd's default for a parent without one. */
function goArch(): string {
  const names: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return names[process.arch] ?? process.arch;
}
