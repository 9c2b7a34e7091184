import { Inject, Injectable } from '@nestjs/common';
import type {
  ImageManifestRecord,
  ManifestRecordDto,
  RecordImageResultV1,
  RecordImageV1,
  RecordedTagV1,
} from '@stevedore/contracts';
import {
  DomainError,
  ParsedImageConfig,
  assertTagTarget,
  parseImageConfig,
  parseReference,
} from '@stevedore/domain';
import {
  METADATA_STORE,
  MetadataStore,
  NewImage,
  PutImageRefs,
  RefChange,
} from '@stevedore/metadata-store';
import { Clock } from '../../support/clock';

/**
 * RecordImageUseCase records an image whose blobs are all committed: it verifies the config
 * against the id, merges the manifest into a known image, and — in the same atomic change —
 * moves the tag and the repo digest onto it. `changed` tells whether what the tag pointed at is
 * new (without a tag: the image, one of its manifests or the digest), "Downloaded newer image" vs
 * "Image is up to date" as dockerd decides;
 * `previousImageId` names the image the tag moved off, so a load can say so without asking first.
 */
@Injectable()
export class RecordImageUseCase {
  constructor(
    @Inject(METADATA_STORE) private readonly store: MetadataStore,
    private readonly clock: Clock,
  ) {}

  /** `existingOnly`: see {@link PutImageRefs.existingOnly} (NOT_FOUND, nothing recorded). */
  async execute(command: RecordImageV1, existingOnly = false): Promise<RecordImageResultV1> {
    const config = parseConfig(command);
    const manifest = toManifestRecord(command.manifest);
    if (manifest.config.digest !== command.id) {
      throw DomainError.invalidArgument(
        `manifest config ${manifest.config.digest} is not image ${command.id}`,
      );
    }
    const now = this.clock.now().toISOString();
    const refs = { ...refsOf(command, manifest, now), ...(existingOnly ? { existingOnly } : {}) };
    const put = await this.store.putImage(newImage(command, config, manifest, now), refs);
    // dockerd's rule (pullV2Tag): a pull by tag is news only when the tag is new or moved (a repo
    // digest recorded beside an unchanged tag is not); by digest, when the digest or image is new.
    const tagMoved = !!put.tag?.changed || !!put.tags?.some((t) => t.changed);
    const byTag = command.tag !== undefined || command.tags !== undefined;
    const changed = byTag
      ? tagMoved
      : put.created || put.manifestAdded || !!put.repoDigest?.changed;
    const previousImageId = put.tag?.previousImageId;
    return {
      image: put.image,
      changed,
      ...(previousImageId ? { previousImageId } : {}),
      ...(put.tags ? { tags: recordedTags(refs.tags ?? [], put.tags) } : {}),
    };
  }
}

// The config text must hash to the id: the id is the config digest, so anything else is corrupt.
function parseConfig(command: RecordImageV1): ParsedImageConfig {
  return parseImageConfig(Buffer.from(command.configJson, 'utf8'), { expectedDigest: command.id });
}

function newImage(
  command: RecordImageV1,
  parsed: ParsedImageConfig,
  manifest: ImageManifestRecord,
  now: string,
): NewImage {
  const { config } = parsed;
  const image: NewImage = {
    id: command.id,
    manifests: [manifest],
    created: config.created ?? now,
    addedAt: now,
    size: manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
    labels: { ...(config.config?.Labels ?? {}) },
    os: config.os,
    architecture: config.architecture,
    configJson: command.configJson,
  };
  if (config.variant !== undefined) image.variant = config.variant;
  return image;
}

function refsOf(command: RecordImageV1, manifest: ImageManifestRecord, now: string): PutImageRefs {
  const refs: PutImageRefs = { taggedAt: now };
  if (command.tag !== undefined) refs.tag = tagOf(command.tag);
  if (command.tags !== undefined) refs.tags = command.tags.map(tagOf);
  if (command.repoDigest !== undefined) {
    const reference = parseReference(command.repoDigest).normalized();
    const digest = reference.digest?.toString();
    if (digest === undefined || (digest !== manifest.digest && digest !== manifest.indexDigest)) {
      throw DomainError.invalidArgument(
        `repoDigest ${command.repoDigest} must name the manifest or its index by digest`,
      );
    }
    refs.repoDigest = reference.toString();
  }
  return refs;
}

function tagOf(text: string): string {
  return assertTagTarget(parseReference(text)).normalized().toString();
}

function recordedTags(tags: readonly string[], changes: readonly RefChange[]): RecordedTagV1[] {
  return tags.map((tag, i) => {
    const previousImageId = changes[i]?.previousImageId;
    return previousImageId ? { tag, previousImageId } : { tag };
  });
}

// Copy field by field: the DTO may carry extras (descriptor annotations) the record does not keep.
function toManifestRecord(dto: ManifestRecordDto): ImageManifestRecord {
  const descriptor = (d: { mediaType: string; digest: string; size: number }) => ({
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
  });
  const { os, architecture, variant } = dto.platform;
  const record: ImageManifestRecord = {
    digest: dto.digest,
    mediaType: dto.mediaType,
    size: dto.size,
    platform: variant === undefined ? { os, architecture } : { os, architecture, variant },
    config: descriptor(dto.config),
    layers: dto.layers.map(descriptor),
  };
  if (dto.indexDigest !== undefined) record.indexDigest = dto.indexDigest;
  return record;
}
