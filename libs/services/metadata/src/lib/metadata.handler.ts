import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  GET_IMAGE_V1,
  GetImageV1,
  ImageListV1,
  ImageRecord,
  ImageSummaryListV1,
  LIST_IMAGES_V1,
  LIST_IMAGE_SUMMARIES_V1,
  ListImageSummariesV1,
  ListImagesV1,
  RECORD_IMAGE_V1,
  RECORD_PRESENT_IMAGE_V1,
  REMOVE_IMAGE_V1,
  RecordImageResultV1,
  RecordImageV1,
  RecordPresentImageResultV1,
  RecordPresentImageV1,
  RemoveImageResultV1,
  RemoveImageV1,
  TAG_IMAGE_V1,
  TagImageV1,
} from '@stevedore/contracts';
import { GetImageUseCase } from './use-cases/get-image/get-image.use-case';
import { ListImageSummariesUseCase } from './use-cases/list-image-summaries/list-image-summaries.use-case';
import { ListImagesUseCase } from './use-cases/list-images/list-images.use-case';
import { RecordImageUseCase } from './use-cases/record-image/record-image.use-case';
import { RecordPresentImageUseCase } from './use-cases/record-image/record-present-image.use-case';
import { RemoveImageUseCase } from './use-cases/remove-image/remove-image.use-case';
import { TagImageUseCase } from './use-cases/tag-image/tag-image.use-case';

/**
 * MetadataHandler exposes the metadata use-cases on the bus, one `metadata.*` pattern each. It
 * validates payloads itself too, so a host that forgot the global ValidationPipe still cannot
 * hand a use-case an invalid command.
 */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class MetadataHandler {
  constructor(
    private readonly recordImage: RecordImageUseCase,
    private readonly recordPresent: RecordPresentImageUseCase,
    private readonly listImages: ListImagesUseCase,
    private readonly listSummaries: ListImageSummariesUseCase,
    private readonly getImage: GetImageUseCase,
    private readonly tagImage: TagImageUseCase,
    private readonly removeImage: RemoveImageUseCase,
  ) {}

  @MessagePattern(RECORD_IMAGE_V1)
  record(@Payload() request: RecordImageV1): Promise<RecordImageResultV1> {
    return this.recordImage.execute(request);
  }

  @MessagePattern(RECORD_PRESENT_IMAGE_V1)
  recordIfPresent(@Payload() request: RecordPresentImageV1): Promise<RecordPresentImageResultV1> {
    return this.recordPresent.execute(request);
  }

  @MessagePattern(LIST_IMAGES_V1)
  list(@Payload() _request: ListImagesV1): Promise<ImageListV1> {
    return this.listImages.execute();
  }

  @MessagePattern(LIST_IMAGE_SUMMARIES_V1)
  summaries(@Payload() request: ListImageSummariesV1): Promise<ImageSummaryListV1> {
    return this.listSummaries.execute(request);
  }

  @MessagePattern(GET_IMAGE_V1)
  get(@Payload() request: GetImageV1): Promise<ImageRecord> {
    return this.getImage.execute(request);
  }

  @MessagePattern(TAG_IMAGE_V1)
  tag(@Payload() request: TagImageV1): Promise<ImageRecord> {
    return this.tagImage.execute(request);
  }

  @MessagePattern(REMOVE_IMAGE_V1)
  remove(@Payload() request: RemoveImageV1): Promise<RemoveImageResultV1> {
    return this.removeImage.execute(request);
  }
}
