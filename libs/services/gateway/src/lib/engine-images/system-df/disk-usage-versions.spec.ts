import type { ImageSummary } from '../engine-types';
import { diskUsageForVersion } from './disk-usage-versions';
import type { SystemDataUsage } from './system-df.use-case';

const image: ImageSummary = {
  Id: `sha256:${'a'.repeat(64)}`,
  ParentId: '',
  RepoTags: ['busybox:latest'],
  RepoDigests: [],
  Created: 1,
  Size: 42,
  SharedSize: 0,
  Labels: null,
  Containers: 0,
};
const usage: SystemDataUsage = {
  LayersSize: 42,
  Images: [image],
  Containers: [],
  Volumes: [],
  BuildCache: [],
};

describe('system df per API version (moby’s system router)', () => {
  it('adds BuilderSize below 1.42 and each image’s VirtualSize below 1.44, as dockerd 20.10 sends at 1.41', () => {
    const old = diskUsageForVersion(usage, '1.41');
    expect(old.BuilderSize).toBe(0);
    expect(old.Images[0]?.VirtualSize).toBe(42);
  });

  it('drops BuilderSize from 1.42 and VirtualSize from 1.44', () => {
    const mid = diskUsageForVersion(usage, '1.43');
    expect(Object.keys(mid)).not.toContain('BuilderSize');
    expect(mid.Images[0]?.VirtualSize).toBe(42);
    const current = diskUsageForVersion(usage, '1.44');
    expect(Object.keys(current.Images[0] ?? {})).not.toContain('VirtualSize');
  });
});
