import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Body of `POST /api/v1/pulls`. */
export class PullRequestDto {
  @IsString() @MaxLength(4096) reference!: string;
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.-]+\/[a-z0-9_.-]+(\/[a-z0-9_.-]+)?$/i, {
    message: 'platform must be os/arch[/variant]',
  })
  platform?: string;
}
