import type { ImageRecord } from '@stevedore/contracts';
import { toImageHistory } from './image-history';
import { ZERO_TIME, toImageInspect } from './image-inspect';
import { toImageSummary } from './image-summary';

const ID = `sha256:${'c'.repeat(64)}`;
const DIFF = [`sha256:${'1'.repeat(64)}`, `sha256:${'2'.repeat(64)}`];

const CONFIG = {
  architecture: 'arm64',
  os: 'linux',
  variant: 'v8',
  created: '2024-09-25T23:13:26.123456789Z',
  author: 'someone',
  docker_version: '24.0.5',
  config: {
    Env: ['PATH=/bin'],
    Cmd: ['sh'],
    Hostname: 'x',
    AttachStdin: false,
    Labels: { tier: 'base' },
    ExposedPorts: { '80/tcp': {} },
  },
  rootfs: { type: 'layers', diff_ids: DIFF },
  history: [
    {
      created: '2024-09-25T23:13:16Z',
      created_by: '/bin/sh -c #(nop) ADD file:abc in / ',
    },
    {
      created: '2024-09-25T23:13:20Z',
      created_by: 'ENV A=b',
      empty_layer: true,
      comment: 'env',
    },
    { created: '2024-09-25T23:13:26Z', created_by: 'RUN make' },
  ],
};

function record(overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    id: ID,
    repoTags: ['docker.io/library/busybox:latest', '127.0.0.1:5000/team/app:v1'],
    repoDigests: [`docker.io/library/busybox@sha256:${'d'.repeat(64)}`],
    manifests: [
      {
        digest: `sha256:${'d'.repeat(64)}`,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 500,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: ID,
          size: 900,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: `sha256:${'a'.repeat(64)}`,
            size: 4000,
          },
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: `sha256:${'b'.repeat(64)}`,
            size: 300,
          },
        ],
      },
    ],
    created: '2024-09-25T23:13:26.123456789Z',
    addedAt: '2026-01-01T00:00:00Z',
    size: 4300,
    labels: { tier: 'base' },
    os: 'linux',
    architecture: 'arm64',
    variant: 'v8',
    configJson: JSON.stringify(CONFIG),
    ...overrides,
  };
}

describe('toImageSummary', () => {
  it('gives familiar names, whole unix seconds and -1 for uncounted fields', () => {
    expect(toImageSummary(record())).toEqual({
      Id: ID,
      ParentId: '',
      RepoTags: ['busybox:latest', '127.0.0.1:5000/team/app:v1'],
      RepoDigests: [`busybox@sha256:${'d'.repeat(64)}`],
      Created: 1727306006,
      Size: 4300,
      SharedSize: -1,
      Labels: { tier: 'base' },
      Containers: -1,
    });
  });

  it('answers [] rather than null for an untagged image, and null labels when there are none', () => {
    const summary = toImageSummary(record({ repoTags: [], repoDigests: [], labels: {} }));
    expect(summary).toMatchObject({
      RepoTags: [],
      RepoDigests: [],
      Labels: null,
    });
  });
});

describe('toImageInspect', () => {
  it('builds Docker’s ImageInspect from the record and its config JSON', () => {
    const inspect = toImageInspect(record({ lastTagTime: '2026-02-02T00:00:00Z' }));
    expect(inspect).toEqual({
      Id: ID,
      RepoTags: ['busybox:latest', '127.0.0.1:5000/team/app:v1'],
      RepoDigests: [`busybox@sha256:${'d'.repeat(64)}`],
      Parent: '',
      Comment: '',
      Created: '2024-09-25T23:13:26.123456789Z',
      DockerVersion: '24.0.5',
      Author: 'someone',
      // Container-only keys (Hostname, AttachStdin) are not part of API 1.50's image Config.
      Config: {
        Env: ['PATH=/bin'],
        Cmd: ['sh'],
        Labels: { tier: 'base' },
        ExposedPorts: { '80/tcp': {} },
      },
      Architecture: 'arm64',
      Variant: 'v8',
      Os: 'linux',
      Size: 4300,
      GraphDriver: { Name: 'stevedore', Data: null },
      RootFS: { Type: 'layers', Layers: DIFF },
      Metadata: { LastTagTime: '2026-02-02T00:00:00Z' },
    });
  });

  it('keeps Created a string and reports Go’s zero time for an image never tagged here', () => {
    const inspect = toImageInspect(record({ variant: undefined }));
    expect(typeof inspect.Created).toBe('string');
    expect(inspect.Metadata.LastTagTime).toBe(ZERO_TIME);
    expect(inspect).not.toHaveProperty('Variant');
  });

  it('falls back to the record’s created time when the config has none', () => {
    const { created: _created, ...config } = CONFIG;
    expect(toImageInspect(record({ configJson: JSON.stringify(config) })).Created).toBe(
      '2024-09-25T23:13:26.123456789Z',
    );
  });
});

describe('toImageHistory', () => {
  it('lists steps newest first, the top with the image ID and tags, layer sizes on non-empty steps', () => {
    expect(toImageHistory(record())).toEqual([
      {
        Id: ID,
        Created: 1727306006,
        CreatedBy: 'RUN make',
        Tags: ['busybox:latest', '127.0.0.1:5000/team/app:v1'],
        Size: 300,
        Comment: '',
      },
      {
        Id: '<missing>',
        Created: 1727306000,
        CreatedBy: 'ENV A=b',
        Tags: null,
        Size: 0,
        Comment: 'env',
      },
      {
        Id: '<missing>',
        Created: 1727305996,
        CreatedBy: '/bin/sh -c #(nop) ADD file:abc in / ',
        Tags: null,
        Size: 4000,
        Comment: '',
      },
    ]);
  });

  it('gives no sizes when history and layers disagree', () => {
    const config = { ...CONFIG, history: [{ created_by: 'one step' }] };
    expect(toImageHistory(record({ configJson: JSON.stringify(config) }))).toEqual([
      {
        Id: ID,
        Created: 0,
        CreatedBy: 'one step',
        Tags: expect.any(Array),
        Size: 0,
        Comment: '',
      },
    ]);
  });

  it('makes one step per layer when the config has no history', () => {
    const { history: _history, ...config } = CONFIG;
    const items = toImageHistory(record({ configJson: JSON.stringify(config) }));
    expect(items.map((i) => [i.Id, i.Size, i.Created])).toEqual([
      [ID, 300, 1727306006],
      ['<missing>', 4000, 1727306006],
    ]);
  });
});
