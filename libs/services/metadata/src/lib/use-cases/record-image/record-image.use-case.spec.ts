import { failure, imageAndCommand, metadataHarness } from '../../../test/metadata-harness';

describe('RecordImageUseCase', () => {
  let h: ReturnType<typeof metadataHarness>;
  beforeEach(() => {
    h = metadataHarness();
  });
  afterEach(() => h.store.close());

  it('records a new image from its config, with the tag and repo digest fully qualified', async () => {
    const { image, manifest, command } = imageAndCommand({
      seed: 'a',
      labels: { maintainer: 'me' },
      created: '2023-03-03T03:03:03Z',
    });
    const result = await h.record.execute({
      ...command,
      tag: 'busybox',
      repoDigest: `busybox@${manifest.digest}`,
    });
    expect(result.changed).toBe(true);
    expect(result.image).toMatchObject({
      id: image.id,
      repoTags: ['docker.io/library/busybox:latest'],
      repoDigests: [`docker.io/library/busybox@${manifest.digest}`],
      created: '2023-03-03T03:03:03Z',
      addedAt: '2025-01-02T03:04:05.000Z',
      lastTagTime: '2025-01-02T03:04:05.000Z',
      size: image.size,
      labels: { maintainer: 'me' },
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      configJson: image.configJson,
    });
  });

  it('answers changed=false when the same pull is recorded again, and true when the tag moves', async () => {
    const a = imageAndCommand({ seed: 'a', tag: 'docker.io/library/app:1' });
    const b = imageAndCommand({ seed: 'b', tag: 'docker.io/library/app:1' });
    await h.record.execute(a.command);
    h.clock.current = new Date('2025-02-01T00:00:00.000Z');
    const again = await h.record.execute(a.command);
    expect(again.changed).toBe(false);
    expect(again.image.addedAt).toBe('2025-01-02T03:04:05.000Z');
    expect((await h.record.execute(b.command)).changed).toBe(true);
    expect((await h.store.getImage(a.image.id))?.repoTags).toEqual([]);
    expect((await h.record.execute(a.command)).changed).toBe(true);
  });

  it('answers changed=false for a tag already on the image that only gains a repo digest (dockerd: up to date)', async () => {
    const { manifest, command } = imageAndCommand({ seed: 'a', tag: '127.0.0.1:5000/app:one' });
    await h.record.execute(command);
    // `docker tag` made the name locally; a pull of it (or `pull -a`) brings the registry's digest.
    const pulled = await h.record.execute({
      ...command,
      repoDigest: `127.0.0.1:5000/app@${manifest.digest}`,
    });
    expect(pulled.changed).toBe(false);
    expect(pulled.image.repoDigests).toEqual([`127.0.0.1:5000/app@${manifest.digest}`]);
  });

  it('names the image a tag moved off, and only when it moved off another one', async () => {
    const a = imageAndCommand({ seed: 'a', tag: 'docker.io/library/app:1' });
    const b = imageAndCommand({ seed: 'b', tag: 'docker.io/library/app:1' });
    expect(await h.record.execute(a.command)).not.toHaveProperty('previousImageId');
    expect((await h.record.execute(b.command)).previousImageId).toBe(a.image.id);
    expect(await h.record.execute(b.command)).not.toHaveProperty('previousImageId');
  });

  it('merges a manifest of another registry into the known image and reports the change', async () => {
    const { image, manifest, command } = imageAndCommand({ seed: 'a' });
    await h.record.execute(command);
    const mirrored = { ...manifest, digest: `sha256:${'1'.repeat(64)}` };
    const result = await h.record.execute({
      ...command,
      manifest: mirrored,
      repoDigest: `127.0.0.1:5000/app@${mirrored.digest}`,
    });
    expect(result.changed).toBe(true);
    expect(result.image.manifests.map((m) => m.digest)).toEqual([manifest.digest, mirrored.digest]);
    expect(result.image.id).toBe(image.id);
  });

  it('refuses a config whose bytes do not hash to the id, and stores nothing', async () => {
    const { image, command } = imageAndCommand({ seed: 'a' });
    const error = await failure(
      h.record.execute({ ...command, configJson: command.configJson.replace('linux', 'linuX') }),
    );
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(await h.store.getImage(image.id)).toBeUndefined();
  });

  it('refuses a manifest whose config is another image', async () => {
    const a = imageAndCommand({ seed: 'a' });
    const b = imageAndCommand({ seed: 'b' });
    const error = await failure(h.record.execute({ ...a.command, manifest: b.manifest }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses a repo digest that names neither the manifest nor its index', async () => {
    const { command } = imageAndCommand({ seed: 'a', tag: 'docker.io/library/app:1' });
    const error = await failure(
      h.record.execute({
        ...command,
        repoDigest: `docker.io/library/app@sha256:${'2'.repeat(64)}`,
      }),
    );
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/must name the manifest or its index/),
    });
    expect(await h.store.listImages()).toEqual([]);
  });

  it('refuses tags Docker refuses, with its messages', async () => {
    const { command } = imageAndCommand({ seed: 'a' });
    const digestTag = await failure(
      h.record.execute({ ...command, tag: `app@sha256:${'3'.repeat(64)}` }),
    );
    expect(digestTag).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'refusing to create a tag with a digest reference',
    });
    const upper = await failure(h.record.execute({ ...command, tag: 'App:1' }));
    expect(upper).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/must be lowercase/),
    });
  });

  it('points a batch of tags at the image in one change, naming the image each moved off', async () => {
    const a = imageAndCommand({ seed: 'a', tag: 'docker.io/library/app:0' });
    const b = imageAndCommand({ seed: 'b' });
    await h.record.execute(a.command);
    const tags = ['app:0', ...Array.from({ length: 999 }, (_, i) => `app:${i + 1}`)];
    const started = performance.now();
    const result = await h.record.execute({ ...b.command, tags });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.changed).toBe(true);
    expect(result.tags).toHaveLength(1000);
    expect(result.tags?.[0]).toEqual({
      tag: 'docker.io/library/app:0',
      previousImageId: a.image.id,
    });
    expect(result.tags?.[1]).toEqual({ tag: 'docker.io/library/app:1' });
    expect(result.image.repoTags).toHaveLength(1000);
    expect((await h.store.getImage(a.image.id))?.repoTags).toEqual([]);
  });

  it('records none of a batch when one of its tags is refused', async () => {
    const { command } = imageAndCommand({ seed: 'a' });
    await expect(h.record.execute({ ...command, tags: ['app:1', 'App:2'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await h.store.listImages()).toEqual([]);
  });
});
