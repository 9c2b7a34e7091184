import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Digest } from '@stevedore/domain';
import { SnapshotLayout, type RootfsPlan } from '@stevedore/snapshots';
import type { ContainerRecord } from '../store/container-record';

/** planOf rebuilds a container's {@link RootfsPlan} from its record (the layout prepareRootfs made). */
export function planOf(record: ContainerRecord, dir: string, layout: SnapshotLayout): RootfsPlan {
  const trees = record.diffIds.map((id) => SnapshotLayout.tree(layout.snapshot(Digest.parse(id))));
  // The init layer tops the image's (containers made before it existed have none).
  const init = existsSync(join(dir, 'init')) ? [join(dir, 'init')] : [];
  const lowers = [...init, ...trees.reverse()];
  const lowerdir = lowers.length > 0 ? lowers : [join(dir, 'empty')];
  const upperdir = join(dir, 'upper');
  const workdir = join(dir, 'work');
  return {
    mode: record.rootfsMode,
    lowerdir,
    upperdir,
    workdir,
    target: join(dir, 'rootfs'),
    options: `lowerdir=${lowerdir.join(':')},upperdir=${upperdir},workdir=${workdir}`,
  };
}
