import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { RUN_BATCH_ITEM_V1, RunBatchItemV1 } from '@stevedore/contracts';
import { RunBatchItemUseCase } from './use-cases/run-batch-item/run-batch-item.use-case';

/** BatchItemHandler takes batch items off the fetchers' queue; the message is acked once the attempt ended. */
@Controller()
export class BatchItemHandler {
  constructor(private readonly runItem: RunBatchItemUseCase) {}

  @EventPattern(RUN_BATCH_ITEM_V1)
  run(@Payload() item: RunBatchItemV1): Promise<void> {
    return this.runItem.execute(item);
  }
}
