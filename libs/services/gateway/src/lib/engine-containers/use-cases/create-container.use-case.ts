import { Injectable } from '@nestjs/common';
import {
  CREATE_CONTAINER_V1,
  CreateContainerResultV1,
  GET_IMAGE_V1,
  ImageRecord,
} from '@stevedore/contracts';
import { DomainError, isDomainError, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { platformMismatch, splitCreateBody } from '../mapping/create-request';
import { assertContainerName } from './container-name';
import { sayingNoRuntime } from './runtime-unavailable';

/** CreateContainerCommand is `POST /containers/create?name&platform` with its JSON body. */
export interface CreateContainerCommand {
  name?: string;
  /** Normalised `os/arch[/variant]`, only from API 1.41 (the controller drops it before). */
  platform?: string;
  body: unknown;
  version: string;
}

/**
 * imageNotFound words a missing image as dockerd does for create — `No such image:
 * busybox:latest`, the reference with its default tag — which is what makes `docker run` print
 * "Unable to find image … locally" and pull.
 */
function imageNotFound(ref: string): DomainError {
  let shown = ref;
  try {
    shown = parseReference(ref).normalized().familiar();
  } catch {
    // An ID or something that is no reference: dockerd shows it as given.
  }
  return DomainError.notFound(`No such image: ${shown}`);
}

/**
 * CreateContainerUseCase is `docker create` (and the first step of `docker run`): the image
 * `Config.Image` names is resolved through metadata (404 in Docker's words, which the CLI answers
 * by pulling), checked against `platform`, the name validated as dockerd does, then the runtime
 * creates the container from the image ID and its config.
 */
@Injectable()
export class CreateContainerUseCase {
  constructor(private readonly bus: Bus) {}

  async execute(command: CreateContainerCommand): Promise<CreateContainerResultV1> {
    const { config, hostConfig, networkingConfig } = splitCreateBody(command.body, command.version);
    const ref = typeof config['Image'] === 'string' ? config['Image'] : '';
    const image = await this.image(ref);
    const mismatch = command.platform && platformMismatch(image, command.platform, ref);
    if (mismatch) throw DomainError.notFound(mismatch);
    if (command.name) assertContainerName(command.name);
    const created = () =>
      this.bus.send<CreateContainerResultV1>(CREATE_CONTAINER_V1, {
        ...(command.name ? { name: command.name } : {}),
        ...(command.platform ? { platform: command.platform } : {}),
        imageId: image.id,
        config,
        hostConfig,
        networkingConfig,
        imageConfigJson: image.configJson,
      });
    return sayingNoRuntime(created);
  }

  private async image(ref: string): Promise<ImageRecord> {
    if (ref === '')
      throw DomainError.invalidArgument('No image was specified: Config.Image is empty');
    try {
      return await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref });
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') throw imageNotFound(ref);
      throw err;
    }
  }
}
