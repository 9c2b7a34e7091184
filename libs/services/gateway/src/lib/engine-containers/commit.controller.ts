import { Body, Controller, Post, Query, UseFilters } from '@nestjs/common';
import type { CommitResultV1 } from '@stevedore/contracts';
import { EngineExceptionFilter } from '../engine/engine-exception.filter';
import { QueryValue, all, one } from '../engine/request-params';
import { boolOr } from './container-params';
import { CommitContainerUseCase } from './use-cases/commit.use-case';

type Q = Record<string, QueryValue>;

/** EngineCommitController answers `POST /commit?container&repo&tag&author&comment&changes&pause` 201 {Id}. */
@UseFilters(EngineExceptionFilter)
@Controller('commit')
export class EngineCommitController {
  constructor(private readonly commitUseCase: CommitContainerUseCase) {}

  @Post()
  commit(@Query() q: Q, @Body() body: unknown): Promise<CommitResultV1> {
    const config = typeof body === 'object' && body !== null && Object.keys(body).length > 0;
    const text = (key: string) => one(q[key]);
    return this.commitUseCase.execute({
      container: text('container') ?? '',
      ...(text('repo') ? { repo: text('repo') } : {}),
      ...(text('tag') ? { tag: text('tag') } : {}),
      ...(text('author') ? { author: text('author') } : {}),
      ...(text('comment') ? { comment: text('comment') } : {}),
      changes: all(q['changes']),
      pause: boolOr(q['pause'], true),
      ...(config ? { config: body as Record<string, unknown> } : {}),
    });
  }
}
