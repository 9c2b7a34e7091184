import { Module } from '@nestjs/common';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

/** SystemModule provides the Engine API's system endpoints (`/_ping`, `/version`). */
@Module({
  controllers: [SystemController],
  providers: [SystemService],
})
export class SystemModule {}
