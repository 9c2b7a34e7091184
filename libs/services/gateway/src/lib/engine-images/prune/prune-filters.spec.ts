import type { ImageRecord } from '@stevedore/contracts';
import { parsePruneQuery, prunable } from './prune-filters';

const NOW = Date.parse('2026-11-28T12:00:00Z');
function image(
  id: string,
  created: string,
  repoTags: string[],
  labels: Record<string, string> = {},
): ImageRecord {
  return {
    id,
    created,
    repoTags,
    repoDigests: [],
    labels,
    manifests: [],
    addedAt: created,
    size: 1,
    os: 'linux',
    architecture: 'amd64',
    configJson: '{}',
  };
}
const images = [
  image('sha256:new-tagged', '2026-11-28T11:00:00Z', ['docker.io/library/a:1'], { team: 'x' }),
  image('sha256:old-dangling', '2026-11-01T00:00:00Z', [], { team: 'y' }),
  image('sha256:new-dangling', '2026-11-28T11:30:00Z', []),
];
const ids = (filters: Record<string, string[]>) =>
  prunable(images, parsePruneQuery(new Map(Object.entries(filters)), NOW)).map((i) => i.id);

describe('image prune filters', () => {
  it('takes dangling images by default, every image with dangling=false, oldest first', () => {
    expect(ids({})).toEqual(['sha256:old-dangling', 'sha256:new-dangling']);
    expect(ids({ dangling: ['false'] })).toEqual([
      'sha256:old-dangling',
      'sha256:new-tagged',
      'sha256:new-dangling',
    ]);
  });

  it('narrows by until and labels', () => {
    expect(ids({ until: ['24h'] })).toEqual(['sha256:old-dangling']);
    expect(ids({ dangling: ['false'], label: ['team'] })).toEqual([
      'sha256:old-dangling',
      'sha256:new-tagged',
    ]);
    expect(ids({ dangling: ['false'], 'label!': ['team=y'] })).toEqual([
      'sha256:new-tagged',
      'sha256:new-dangling',
    ]);
  });

  it('refuses unknown keys and bad values with Docker’s messages', () => {
    expect(() => ids({ reference: ['x'] })).toThrow("invalid filter 'reference'");
    expect(() => ids({ dangling: ['maybe'] })).toThrow("invalid filter 'dangling=maybe'");
  });
});
