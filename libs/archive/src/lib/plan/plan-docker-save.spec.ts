import { MemoryBlobStore } from '@stevedore/testing';
import { T4, T5, putT4 } from '../../test/t4-vectors';
import { planDockerSave } from './plan-docker-save';
import type { ArchiveEntry } from './archive-plan';

function textOf(entries: ArchiveEntry[], path: string): string | undefined {
  const entry = entries.find((e) => e.path === path);
  return entry?.kind === 'text' ? entry.text : undefined;
}

describe('planDockerSave', () => {
  it('plans exactly the T5 files for T4 tagged app:1.0', () => {
    const entries = planDockerSave([putT4(new MemoryBlobStore())]);
    expect(textOf(entries, 'oci-layout')).toBe(T5.ociLayout);
    expect(textOf(entries, 'index.json')).toBe(T5.index);
    expect(textOf(entries, 'manifest.json')).toBe(T5.manifestJson);
    expect(textOf(entries, 'repositories')).toBe(T5.repositories);
    expect(entries.filter((e) => e.kind === 'blob')).toEqual([
      {
        path: `blobs/sha256/${T4.manifestDigest.slice(7)}`,
        kind: 'blob',
        digest: T4.manifestDigest,
        size: 397,
      },
      {
        path: `blobs/sha256/${T4.configDigest.slice(7)}`,
        kind: 'blob',
        digest: T4.configDigest,
        size: 329,
      },
      {
        path: `blobs/sha256/${T4.layerDigest.slice(7)}`,
        kind: 'blob',
        digest: T4.layerDigest,
        size: 1024,
      },
    ]);
    expect(entries.map((e) => e.path)).toEqual([
      'oci-layout',
      'index.json',
      'manifest.json',
      'repositories',
      'blobs/',
      'blobs/sha256/',
      ...entries.filter((e) => e.kind === 'blob').map((e) => e.path),
    ]);
  });

  it('saves an image by ID untagged: RepoTags null, a bare index descriptor, no repositories file', () => {
    const entries = planDockerSave([putT4(new MemoryBlobStore(), [])]);
    expect(JSON.parse(textOf(entries, 'manifest.json') ?? '')).toEqual([
      {
        Config: `blobs/sha256/${T4.configDigest.slice(7)}`,
        RepoTags: null,
        Layers: [`blobs/sha256/${T4.layerDigest.slice(7)}`],
      },
    ]);
    expect(JSON.parse(textOf(entries, 'index.json') ?? '').manifests).toEqual([
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: T4.manifestDigest,
        size: 397,
      },
    ]);
    expect(entries.some((e) => e.path === 'repositories')).toBe(false);
  });

  it('writes one index descriptor per tag, every shared blob once, and Go-sorted repositories', () => {
    const store = new MemoryBlobStore();
    const base = putT4(store, [
      'localhost:5000/team/app:10',
      'localhost:5000/team/app:9',
      'busybox',
    ]);
    const other = {
      ...base,
      repoTags: ['docker.io/library/zeta:latest'],
      manifest: { ...base.manifest, digest: `sha256:${'a'.repeat(64)}` },
      diffIds: [`sha256:${'b'.repeat(64)}`],
    };
    const entries = planDockerSave([base, other]);
    const index = JSON.parse(textOf(entries, 'index.json') ?? '');
    expect(
      index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations),
    ).toEqual([
      {
        'io.containerd.image.name': 'localhost:5000/team/app:10',
        'org.opencontainers.image.ref.name': '10',
      },
      {
        'io.containerd.image.name': 'localhost:5000/team/app:9',
        'org.opencontainers.image.ref.name': '9',
      },
      {
        'io.containerd.image.name': 'docker.io/library/busybox:latest',
        'org.opencontainers.image.ref.name': 'latest',
      },
      {
        'io.containerd.image.name': 'docker.io/library/zeta:latest',
        'org.opencontainers.image.ref.name': 'latest',
      },
    ]);
    expect(
      JSON.parse(textOf(entries, 'manifest.json') ?? '').map(
        (m: { RepoTags: string[] }) => m.RepoTags,
      ),
    ).toEqual([
      ['localhost:5000/team/app:10', 'localhost:5000/team/app:9', 'busybox:latest'],
      ['zeta:latest'],
    ]);
    const hex = T4.layerDigest.slice(7);
    expect(textOf(entries, 'repositories')).toBe(
      `{"busybox":{"latest":"${hex}"},"localhost:5000/team/app":{"10":"${hex}","9":"${hex}"},"zeta":{"latest":"${'b'.repeat(64)}"}}\n`,
    );
    const blobs = entries.filter((e) => e.kind === 'blob').map((e) => e.path);
    expect(blobs).toHaveLength(4); // two manifests, one shared config, one shared layer
    expect(new Set(blobs).size).toBe(blobs.length);
  });

  it('refuses a digest where a tag is expected, and a malformed digest', () => {
    const image = putT4(new MemoryBlobStore(), [`app@${T4.manifestDigest}`]);
    expect(() => planDockerSave([image])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const bad = { ...putT4(new MemoryBlobStore()), config: { digest: 'sha256:nothex', size: 1 } };
    expect(() => planDockerSave([bad])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
