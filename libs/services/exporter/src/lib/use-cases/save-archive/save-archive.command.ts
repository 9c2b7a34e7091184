import {
  DomainError,
  ImageLookup,
  Platform,
  parseImageIdOrReference,
  parsePlatform,
} from '@stevedore/domain';

/** SaveTarget is one name a user asked to save, as typed and as parsed. */
export interface SaveTarget {
  readonly input: string;
  readonly lookup: ImageLookup;
}

/** Most names one save may list (a request is one HTTP query string). */
const MAX_NAMES = 1000;

/**
 * SaveArchiveCommand is a validated `docker save` request: one or more names, each already parsed
 * the way `docker save` reads its arguments (an ID, an ID prefix, `name[:tag]`, `name@digest`),
 * and the platform whose manifest to save, when one is asked for.
 */
export class SaveArchiveCommand {
  private constructor(
    readonly targets: readonly SaveTarget[],
    readonly platform: Platform | undefined,
  ) {}

  /**
   * SaveArchiveCommand.create parses every name first, so a bad one fails the whole save before any
   * lookup (INVALID_ARGUMENT with Docker's reference error, or `no images to save` / too many names).
   */
  static create(images: readonly string[], platform?: string): SaveArchiveCommand {
    if (images.length === 0) throw DomainError.invalidArgument('no images to save');
    if (images.length > MAX_NAMES)
      throw DomainError.invalidArgument(`cannot save more than ${MAX_NAMES} images at once`);
    return new SaveArchiveCommand(
      images.map((input) => ({ input, lookup: parseImageIdOrReference(input) })),
      platform ? parsePlatform(platform) : undefined,
    );
  }
}
