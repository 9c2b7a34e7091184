import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ContentLeaseV1,
  GET_IMAGE_V1,
  GetImageV1,
  ImageRecord,
  LEASE_CONTENT_V1,
  LeaseContentV1,
  RELEASE_CONTENT_V1,
  ReleaseContentV1,
  RECORD_IMAGE_V1,
  RecordedTagV1,
  RecordImageResultV1,
  RecordImageV1,
} from '@stevedore/contracts';
import { DomainError, parseImageIdOrReference, parseReference } from '@stevedore/domain';

const RECORDS = Symbol('RECORDS');

/** FakeLeases is what the fake saw of content leases: who holds what, and each record's cover. */
export class FakeLeases {
  readonly live = new Map<string, Set<string>>();
  /** Per RECORD_IMAGE_V1: whether every blob of the recorded manifest was held at that moment. */
  readonly recordedHeld: boolean[] = [];

  holds(digest: string): boolean {
    return [...this.live.values()].some((digests) => digests.has(digest));
  }
}

/**
 * FakeMetadataHandler answers GET_IMAGE_V1 from a list of records with the metadata service's
 * lookup order (full ID, then `name:tag` / `name@digest`, then ID prefix) and its NOT_FOUND
 * `No such image: <ref>`, and RECORD_IMAGE_V1 by adding the image and moving the tag onto it
 * (answering the image it moved off). It stands in for the metadata service, which this
 * project's boundaries keep out of the exporter's tests.
 */
@Controller()
class FakeMetadataHandler {
  constructor(
    @Inject(RECORDS) private readonly records: ImageRecord[],
    private readonly leases: FakeLeases,
  ) {}

  @MessagePattern(LEASE_CONTENT_V1)
  lease(@Payload() request: LeaseContentV1): ContentLeaseV1 {
    this.leases.live.set(request.holder, new Set(request.digests));
    return { acquired: true };
  }

  @MessagePattern(RELEASE_CONTENT_V1)
  release(@Payload() request: ReleaseContentV1): { ok: true } {
    this.leases.live.delete(request.holder);
    return { ok: true };
  }

  @MessagePattern(GET_IMAGE_V1)
  get(@Payload() request: GetImageV1): ImageRecord {
    const lookup = parseImageIdOrReference(request.ref);
    const found =
      lookup.kind === 'id'
        ? this.records.find((r) => r.id === lookup.digest.toString())
        : (this.records.find((r) =>
            [...r.repoTags, ...r.repoDigests].includes(lookup.reference.normalized().toString()),
          ) ??
          (lookup.idPrefix === undefined
            ? undefined
            : this.records.find((r) => r.id.startsWith(`sha256:${lookup.idPrefix}`))));
    if (!found) throw DomainError.notFound(`No such image: ${request.ref}`);
    return found;
  }

  @MessagePattern(RECORD_IMAGE_V1)
  record(@Payload() request: RecordImageV1): RecordImageResultV1 {
    const blobs = [request.manifest.config, ...request.manifest.layers];
    this.leases.recordedHeld.push(blobs.every((b) => this.leases.holds(b.digest)));
    const image = this.records.find((r) => r.id === request.id) ?? this.add(request);
    const tags = request.tags?.map((tag) => this.moveTag(image, tag));
    if (request.tag === undefined) return { image, changed: true, ...(tags ? { tags } : {}) };
    const { previousImageId } = this.moveTag(image, request.tag);
    return { image, changed: true, ...(previousImageId ? { previousImageId } : {}) };
  }

  /** moveTag points `text` at `image`, saying which other image it moved off. */
  private moveTag(image: ImageRecord, text: string): RecordedTagV1 {
    const tag = parseReference(text).normalized().toString();
    const holder = this.records.find((r) => r.repoTags.includes(tag));
    if (holder) holder.repoTags = holder.repoTags.filter((t) => t !== tag);
    image.repoTags.push(tag);
    return holder && holder.id !== image.id ? { tag, previousImageId: holder.id } : { tag };
  }

  private add(request: RecordImageV1): ImageRecord {
    const image: ImageRecord = {
      id: request.id,
      repoTags: [],
      repoDigests: [],
      manifests: [request.manifest],
      created: '1970-01-01T00:00:00Z',
      addedAt: '2026-01-01T00:00:00Z',
      size: request.manifest.layers.reduce((sum, l) => sum + l.size, 0),
      labels: {},
      os: request.manifest.platform.os,
      architecture: request.manifest.platform.architecture,
      configJson: request.configJson,
    };
    this.records.push(image);
    return image;
  }
}

/** fakeMetadataModule registers the fake metadata handler over `records` (which it updates). */
export function fakeMetadataModule(
  records: ImageRecord[],
  leases = new FakeLeases(),
): DynamicModule {
  @Module({})
  class FakeMetadataModule {}
  return {
    module: FakeMetadataModule,
    controllers: [FakeMetadataHandler],
    providers: [
      { provide: RECORDS, useValue: records },
      { provide: FakeLeases, useValue: leases },
    ],
  };
}
