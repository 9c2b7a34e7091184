import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GET_IMAGE_V1, GetImageV1, ImageRecord } from '@stevedore/contracts';
import { DomainError, parseImageIdOrReference } from '@stevedore/domain';

const RECORDS = Symbol('RECORDS');

/**
 * FakeMetadataHandler answers GET_IMAGE_V1 from a fixed list of records with the metadata
 * service's lookup order (full ID, then `name:tag` / `name@digest`, then ID prefix) and its
 * NOT_FOUND `No such image: <ref>`. It stands in for the metadata service, which this project's
 * boundaries keep out of the exporter's tests.
 */
@Controller()
class FakeMetadataHandler {
  constructor(@Inject(RECORDS) private readonly records: ImageRecord[]) {}

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
}

/** fakeMetadataModule registers the fake metadata handler over `records`. */
export function fakeMetadataModule(records: ImageRecord[]): DynamicModule {
  @Module({})
  class FakeMetadataModule {}
  return {
    module: FakeMetadataModule,
    controllers: [FakeMetadataHandler],
    providers: [{ provide: RECORDS, useValue: records }],
  };
}
