import { Injectable } from '@nestjs/common';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError } from '@stevedore/domain';
import type { PathStat, PutArchiveOptions } from '@stevedore/runtime-http';
import { archiveFromRoot, exportRoot, extractToRoot, statInRoot } from '@stevedore/snapshots';
import type { ContainerRecord } from '../store/container-record';
import { ContainerStore } from '../store/container-store';
import { planOf } from '../support/rootfs-plan';
import { RuntimeSnapshots } from '../support/runtime-snapshots';
import { ensureRoot, targetOf, type PathTarget } from './container-root';
import { renameTopEntry } from './rename-tar';

/**
 * ContainerFiles is `docker cp` and `docker export` on a container's merged root (mounted again
 * if a reboot unmounted it). A path under a volume or bind mount is served from the mount's
 * source, as the container sees it; reads and writes never leave the root or the mount (the
 * snapshots functions resolve every link inside it).
 *
 * Not yet as dockerd: the mount is chosen on the path as written (a symlink in the root that
 * leads into a mount is resolved in the root); archiving a directory that holds a mount point
 * shows the root's (empty) mount point, not the mount's files; `/etc/hosts`, `/etc/hostname` and
 * `/etc/resolv.conf` are read from the root, not from the files the container sees there.
 */
@Injectable()
export class ContainerFiles {
  constructor(
    private readonly store: ContainerStore,
    private readonly snapshots: RuntimeSnapshots,
  ) {}

  async statPath(ref: string, path: string): Promise<PathStat> {
    const record = this.store.get(ref);
    const target = await this.targetOf(record, path);
    const stat = await statInRoot(target.root, target.path, ref);
    // The root of a mount is named by its destination in the container, not its source.
    return target.path === '/' || target.path === '/.'
      ? { ...stat, name: posix.basename(target.mount?.destination ?? '/') || '/' }
      : stat;
  }

  async getArchive(ref: string, path: string): Promise<{ stat: PathStat; body: Readable }> {
    const record = this.store.get(ref);
    const target = await this.targetOf(record, path);
    const { stat, tar } = await archiveFromRoot(target.root, target.path, ref);
    if (!target.mount || target.path !== '/') return { stat, body: tar };
    // The whole mount: entries are named as the mount point, as dockerd's cp sees it.
    const name = posix.basename(target.mount.destination);
    return { stat: { ...stat, name }, body: renameTopEntry(tar, name) };
  }

  async putArchive(ref: string, options: PutArchiveOptions, tar: Readable): Promise<void> {
    const record = this.store.get(ref);
    const target = await this.targetOf(record, options.path);
    if (target.mount?.readonly) throw DomainError.internal('mounted volume is marked read-only');
    if (!target.mount && record.hostConfig['ReadonlyRootfs'] === true)
      throw DomainError.internal('container rootfs is marked read-only');
    await extractToRoot(target.root, target.path, tar, {
      noOverwriteDirNonDir: options.noOverwriteDirNonDir,
      copyUIDGID: options.copyUIDGID,
      user: record.config.User,
      container: ref,
    });
  }

  /** export is the merged root as a tar (volumes are not part of it, as with dockerd). */
  async export(ref: string): Promise<Readable> {
    const record = this.store.get(ref);
    return exportRoot(await this.rootOf(record));
  }

  private async targetOf(record: ContainerRecord, path: string): Promise<PathTarget> {
    return targetOf(await this.rootOf(record), path, record.mounts);
  }

  private rootOf(record: ContainerRecord): Promise<string> {
    return ensureRoot(planOf(record, this.store.dir(record.id), this.snapshots.snapshotter.layout));
  }
}
