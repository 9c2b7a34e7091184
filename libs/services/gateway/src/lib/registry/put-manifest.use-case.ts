import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore, writeBlob } from '@stevedore/blob-port';
import {
  RECORD_IMAGE_V1,
  RECORD_MANIFEST_V1,
  RecordImageResultV1,
  RecordImageV1,
  UNTAG_MANIFEST_V1,
} from '@stevedore/contracts';
import {
  Descriptor,
  Digest,
  ImageManifest,
  ParsedManifest,
  defaultTargetPlatform,
  hostPlatform,
  isConfigMediaType,
  isDomainError,
  isManifestMediaType,
  parseImageConfig,
  parseManifest,
  selectManifest,
} from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { RegistryError, toRegistryError } from './registry-error';
import { assertTag, pushedName } from './registry-names';
import { readAll } from './serve-content.use-case';
import { isArtifact, repositoryManifest, subjectOf } from './repository-manifest';
import { UntagUseCase } from './untag.use-case';
import { RepositoryBlobs } from './repository-blobs';

/** PutManifest is one manifest PUT: where, under which reference, and its exact bytes. */
export interface PutManifest {
  readonly repository: string;
  /** A tag, or the manifest's own digest. */
  readonly reference: string;
  readonly contentType: string | undefined;
  readonly bytes: Buffer;
  /** The host the client addressed: pushes are recorded as `<host>/<repository>`. */
  readonly host: string;
  /** The names this registry goes by (to find a tag an image holds under another of them). */
  readonly selfHosts: ReadonlySet<string>;
}

/** PutManifestResult is the stored manifest's digest, and the subject it names (OCI-Subject). */
export interface PutManifestResult {
  readonly digest: Digest;
  readonly subject?: string;
}

/**
 * PutManifestUseCase stores a pushed manifest or index (its exact bytes, in the blob store) once
 * every blob and child manifest it names is in the repository, and records it as an image in metadata, so it
 * shows in `docker images` under `<host>/<repository>:<tag>`. An index records each of its
 * platform images under the index's digest and puts the tag on this host's platform.
 */
@Injectable()
export class PutManifestUseCase {
  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly untag: UntagUseCase,
    private readonly blobs: RepositoryBlobs,
  ) {}

  async execute(command: PutManifest): Promise<PutManifestResult> {
    const byDigest = command.reference.includes(':');
    if (!byDigest) assertTag(command.reference);
    const parsed = parse(command, byDigest);
    const referenced = parsed.kind === 'index' ? parsed.index.manifests : blobsOf(parsed.manifest);
    await Promise.all(referenced.map((d) => this.assertPresent(command, d)));
    await writeBlob(this.store, parsed, parsed.bytes);
    const images = await this.recordImages(command, parsed, byDigest);
    const subject = subjectOf(parsed);
    // What no image record holds (an artifact, an index of artifacts) or what names a subject
    // is kept beside the images, for digest and tag lookups, the referrers API and GC.
    if (images.recorded === 0 || subject !== undefined) {
      const record = repositoryManifest(command.repository, parsed, images.imageId);
      const tag = images.recorded === 0 && !byDigest ? command.reference : undefined;
      // The tag moves onto the artifact: off an image of the repository that had it.
      if (tag) await this.untag.execute(command.repository, tag, command.selfHosts);
      await this.bus.send(RECORD_MANIFEST_V1, tag ? { ...record, tag } : record);
    }
    return subject === undefined ? { digest: parsed.digest } : { digest: parsed.digest, subject };
  }

  /** recordImages records what of the manifest is an image; a tag it takes moves off any artifact. */
  private async recordImages(
    command: PutManifest,
    parsed: ParsedManifest,
    byDigest: boolean,
  ): Promise<{ recorded: number; imageId?: string }> {
    if (isArtifact(parsed)) return { recorded: 0 };
    const name = pushedName(command.repository, command.host);
    const tag = byDigest ? undefined : `${name}:${command.reference}`;
    const result =
      parsed.kind === 'manifest'
        ? { recorded: 1, imageId: await this.recordImage(parsed, name, tag) }
        : { recorded: await this.recordIndex(parsed, name, tag) };
    if (tag && result.recorded > 0) {
      const request = { repository: command.repository, tag: command.reference };
      await this.bus.send(UNTAG_MANIFEST_V1, request);
    }
    return result;
  }

  /** assertPresent refuses a blob or child manifest the repository does not hold, as the CNCF registry does. */
  private async assertPresent(command: PutManifest, descriptor: Descriptor): Promise<void> {
    const { repository, selfHosts } = command;
    const [info, held] = await Promise.all([
      this.store.stat(descriptor.digest),
      this.blobs.has(repository, descriptor.digest, selfHosts),
    ]);
    if (info && held) return;
    throw new RegistryError(400, 'MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry', {
      digest: descriptor.digest.toString(),
    });
  }

  private async recordIndex(
    index: Extract<ParsedManifest, { kind: 'index' }>,
    name: string,
    tag: string | undefined,
  ): Promise<number> {
    let recorded = 0;
    const images = index.index.manifests.filter((d) => isManifestMediaType(d.mediaType));
    const tagged = chooseTagged(index);
    for (const descriptor of images) {
      const bytes = await readAll(await this.store.read(descriptor.digest));
      const child = parseManifest(bytes, descriptor.mediaType, {
        expectedDigest: descriptor.digest,
      });
      if (child.kind !== 'manifest' || !isConfigMediaType(child.manifest.config.mediaType))
        continue;
      // A repo digest names one image: the index's goes with the tag, on this host's platform.
      const chosen = tagged !== undefined && descriptor.digest.equals(tagged);
      await this.recordImage(child, name, chosen ? tag : undefined, index.digest, chosen);
      recorded++;
    }
    return recorded;
  }

  private async recordImage(
    parsed: Extract<ParsedManifest, { kind: 'manifest' }>,
    name: string,
    tag: string | undefined,
    indexDigest?: Digest,
    holdsIndex = true,
  ): Promise<string> {
    const { config, layers } = parsed.manifest;
    const configBytes = await readAll(await this.store.read(config.digest));
    const image = parseImageConfig(configBytes, { expectedDigest: config.digest });
    const { os, architecture, variant } = image.config;
    const top = indexDigest && holdsIndex ? indexDigest : parsed.digest;
    const command: RecordImageV1 = {
      id: config.digest.toString(),
      manifest: {
        digest: parsed.digest.toString(),
        mediaType: parsed.mediaType,
        size: parsed.size,
        ...(indexDigest ? { indexDigest: indexDigest.toString() } : {}),
        platform: { os, architecture, ...(variant ? { variant } : {}) },
        config: plain(config),
        layers: layers.map(plain),
      },
      configJson: Buffer.from(configBytes).toString('utf8'),
      repoDigest: `${name}@${top.toString()}`,
      ...(tag ? { tag } : {}),
    };
    await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, command);
    return command.id;
  }
}

function parse(command: PutManifest, byDigest: boolean): ParsedManifest {
  try {
    const options = byDigest ? { expectedDigest: command.reference } : {};
    return parseManifest(command.bytes, command.contentType, options);
  } catch (err) {
    if (isDomainError(err) && err.code === 'DIGEST_MISMATCH')
      throw new RegistryError(400, 'DIGEST_INVALID', 'manifest digest did not match', {
        digest: command.reference,
      });
    const error = toRegistryError(err, 'MANIFEST_INVALID');
    throw error.code === 'UNSUPPORTED' || error.code === 'UNKNOWN'
      ? new RegistryError(400, 'MANIFEST_INVALID', error.message)
      : error;
  }
}

function blobsOf(manifest: ImageManifest): Descriptor[] {
  return [manifest.config, ...manifest.layers];
}

/** chooseTagged is the child an index's tag goes on: this host's platform, else the first image. */
function chooseTagged(index: Extract<ParsedManifest, { kind: 'index' }>): Digest | undefined {
  try {
    const target = defaultTargetPlatform(hostPlatform(process.arch, process.platform));
    return selectManifest(index.index, target).digest;
  } catch {
    return index.index.manifests.find((d) => isManifestMediaType(d.mediaType))?.digest;
  }
}

function plain(d: Descriptor): { mediaType: string; digest: string; size: number } {
  return { mediaType: d.mediaType, digest: d.digest.toString(), size: d.size };
}
