export * from './lib/metadata-service.module';
export { MetadataHandler } from './lib/metadata.handler';
export { Clock } from './lib/support/clock';
export { ImageFinder } from './lib/support/image-finder';
export { RecordImageUseCase } from './lib/use-cases/record-image/record-image.use-case';
export { ListImagesUseCase } from './lib/use-cases/list-images/list-images.use-case';
export { GetImageUseCase } from './lib/use-cases/get-image/get-image.use-case';
export { TagImageUseCase } from './lib/use-cases/tag-image/tag-image.use-case';
export { RemoveImageUseCase } from './lib/use-cases/remove-image/remove-image.use-case';
