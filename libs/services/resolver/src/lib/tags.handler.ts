import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { LIST_TAGS_V1, ListTagsV1, TagListV1 } from '@stevedore/contracts';
import { ListTagsUseCase } from './use-cases/list-tags/list-tags.use-case';

/** TagsHandler answers tag listings (`docker pull -a`). */
@Controller()
export class TagsHandler {
  constructor(private readonly listTags: ListTagsUseCase) {}

  @MessagePattern(LIST_TAGS_V1)
  list(@Payload() request: ListTagsV1): Promise<TagListV1> {
    return this.listTags.execute(request);
  }
}
