import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { BatchRecord } from '@stevedore/contracts';
import { BatchesUseCases } from '../use-cases/batches/batches.use-cases';
import { batchSpecOf } from '../use-cases/batches/expand-batch';
import { BatchRequestDto } from './batch-request.dto';

/** Native batch API: queue many pulls at once, then follow them. */
@Controller('api/v1/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesUseCases) {}

  /** Answers 202 with the batch as queued; its items run on the fetchers. */
  @Post()
  @HttpCode(202)
  create(@Body() body: BatchRequestDto): Promise<BatchRecord> {
    return this.batches.create(batchSpecOf(body), body.platform);
  }

  @Get()
  list(): Promise<BatchRecord[]> {
    return this.batches.list();
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<BatchRecord> {
    return this.batches.get(id);
  }

  /** Cancels what has not started; answers the batch. */
  @Delete(':id')
  cancel(@Param('id') id: string): Promise<BatchRecord> {
    return this.batches.cancel(id);
  }
}
