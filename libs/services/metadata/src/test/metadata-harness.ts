import type { RecordImageV1 } from '@stevedore/contracts';
import { SqliteMetadataStore } from '@stevedore/metadata-store';
import { testImage, TestImageOptions } from '@stevedore/testing';
import { Clock } from '../lib/support/clock';
import { ImageFinder } from '../lib/support/image-finder';
import { GetImageUseCase } from '../lib/use-cases/get-image/get-image.use-case';
import { ListImageSummariesUseCase } from '../lib/use-cases/list-image-summaries/list-image-summaries.use-case';
import { ListImagesUseCase } from '../lib/use-cases/list-images/list-images.use-case';
import { RecordImageUseCase } from '../lib/use-cases/record-image/record-image.use-case';
import { RecordPresentImageUseCase } from '../lib/use-cases/record-image/record-present-image.use-case';
import { RemoveImageUseCase } from '../lib/use-cases/remove-image/remove-image.use-case';
import { TagImageUseCase } from '../lib/use-cases/tag-image/tag-image.use-case';

/** A clock the test moves by hand. */
export class FixedClock extends Clock {
  constructor(public current = new Date('2025-01-02T03:04:05.000Z')) {
    super();
  }
  override now(): Date {
    return this.current;
  }
}

/** A test image and the RecordImageV1 command that records it (with optional tag/repo digest). */
export function imageAndCommand(options: TestImageOptions & { tag?: string; repoDigest?: string }) {
  const image = testImage(options);
  const manifest = image.manifests[0];
  if (!manifest) throw new Error('testImage made no manifest');
  const command: RecordImageV1 = { id: image.id, manifest, configJson: image.configJson };
  if (options.tag !== undefined) command.tag = options.tag;
  if (options.repoDigest !== undefined) command.repoDigest = options.repoDigest;
  return { image, manifest, command };
}

/** Every use-case wired onto one fresh in-memory SQLite store, as the module wires them. */
export function metadataHarness() {
  const store = SqliteMetadataStore.open(':memory:');
  const clock = new FixedClock();
  const finder = new ImageFinder(store);
  const record = new RecordImageUseCase(store, clock);
  return {
    store,
    clock,
    record,
    recordPresent: new RecordPresentImageUseCase(store, record),
    list: new ListImagesUseCase(store),
    summaries: new ListImageSummariesUseCase(store),
    get: new GetImageUseCase(finder),
    tag: new TagImageUseCase(store, clock),
    remove: new RemoveImageUseCase(finder, store),
  };
}

/** The rejection of `promise` (fails the test if it resolves). */
export function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
