import { ConsoleLogger } from '@nestjs/common';
import { nestTimestamp } from '@stevedore/process-setup';

/**
 * ServiceLogger is Nest's ConsoleLogger with its timestamps formatted without ICU (see
 * deferNestClock in @stevedore/process-setup): the same lines, without ICU's date data resident in every process.
 */
export class ServiceLogger extends ConsoleLogger {
  protected override getTimestamp(): string {
    return nestTimestamp(Date.now());
  }
}
