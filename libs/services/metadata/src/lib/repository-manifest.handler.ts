import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  GET_MANIFEST_V1,
  GetManifestResultV1,
  GetManifestV1,
  LIST_MANIFEST_TAGS_V1,
  LIST_REFERRERS_V1,
  ListManifestTagsV1,
  ManifestTagListV1,
  ListReferrersV1,
  RECORD_MANIFEST_V1,
  REMOVE_MANIFEST_V1,
  RecordManifestV1,
  ReferrerListV1,
  RemoveManifestResultV1,
  RemoveManifestV1,
  UNTAG_MANIFEST_V1,
  UntagManifestResultV1,
  UntagManifestV1,
} from '@stevedore/contracts';
import {
  GetManifestUseCase,
  ListManifestTagsUseCase,
  ListReferrersUseCase,
  RecordManifestUseCase,
  RemoveManifestUseCase,
  UntagManifestUseCase,
} from './use-cases/repository-manifests/repository-manifest.use-cases';

/** RepositoryManifestHandler serves `metadata.manifest.*`: what `/v2/` keeps beside images. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class RepositoryManifestHandler {
  constructor(
    private readonly recordManifest: RecordManifestUseCase,
    private readonly getManifest: GetManifestUseCase,
    private readonly listReferrers: ListReferrersUseCase,
    private readonly removeManifest: RemoveManifestUseCase,
    private readonly listTags: ListManifestTagsUseCase,
    private readonly untagManifest: UntagManifestUseCase,
  ) {}

  @MessagePattern(RECORD_MANIFEST_V1)
  async record(@Payload() request: RecordManifestV1): Promise<{ recorded: true }> {
    await this.recordManifest.execute(request);
    return { recorded: true };
  }

  @MessagePattern(GET_MANIFEST_V1)
  get(@Payload() request: GetManifestV1): Promise<GetManifestResultV1> {
    return this.getManifest.execute(request);
  }

  @MessagePattern(LIST_REFERRERS_V1)
  referrers(@Payload() request: ListReferrersV1): Promise<ReferrerListV1> {
    return this.listReferrers.execute(request);
  }

  @MessagePattern(LIST_MANIFEST_TAGS_V1)
  tags(@Payload() request: ListManifestTagsV1): Promise<ManifestTagListV1> {
    return this.listTags.execute(request);
  }

  @MessagePattern(UNTAG_MANIFEST_V1)
  untag(@Payload() request: UntagManifestV1): Promise<UntagManifestResultV1> {
    return this.untagManifest.execute(request);
  }

  @MessagePattern(REMOVE_MANIFEST_V1)
  remove(@Payload() request: RemoveManifestV1): Promise<RemoveManifestResultV1> {
    return this.removeManifest.execute(request);
  }
}
