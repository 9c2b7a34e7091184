import { IsOptional, IsString, MaxLength } from 'class-validator';

export const LIST_TAGS_V1 = 'resolver.tags.list.v1' as const;
/** Lists the tags of one repository in its registry (what `docker pull -a` pulls). */
export class ListTagsV1 {
  /** A repository name without tag or digest (`busybox`, `127.0.0.1:5000/team/app`). */
  @IsString() @MaxLength(4096) repository!: string;
  /** The Engine API's `X-Registry-Auth` value, passed through untouched. Secret: never log it. */
  @IsOptional() @IsString() @MaxLength(16_384) registryAuth?: string;
}
export interface TagListV1 {
  /** The repository, fully qualified (`docker.io/library/busybox`). */
  repository: string;
  /** Every tag, in the registry's (lexical) order. */
  tags: string[];
}
