import { Module } from '@nestjs/common';
import { PullImageUseCase } from '../use-cases/pull-image/pull-image.use-case';
import { UnservedRoutesController } from './unserved-routes.controller';
import { EventsController } from './events/events.controller';
import { EventLog } from './events/event-log';
import { SaveImagesUseCase } from '../use-cases/save-images/save-images.use-case';
import { EngineImagesController } from './engine-images.controller';
import { EngineObjectsController } from './engine-objects.controller';
import { EngineSaveController } from './save/save.controller';
import { EngineDistributionController } from './distribution/distribution.controller';
import { InspectDistributionUseCase } from './distribution/distribution.use-case';
import { EngineSearchController } from './search/search.controller';
import { SearchImagesUseCase } from './search/search.use-case';
import { EngineImportController } from './import/import.controller';
import { ImportImageUseCase } from './import/import.use-case';
import { EngineAuthController } from './login/login.controller';
import { EnginePushController } from './push/push.controller';
import { PushUseCase } from './push/push.use-case';
import { EngineLoadController } from './load/load.controller';
import { LoadImagesUseCase } from './load/load.use-case';
import { RuntimeUsage } from '../use-cases/runtime-usage/runtime-usage';
import { EngineSpaceController } from './prune/prune.controller';
import { PruneImagesUseCase } from './prune/prune.use-case';
import { SystemDfUseCase } from './system-df/system-df.use-case';
import { ImageHistoryUseCase } from './history/history.use-case';
import { InfoUseCase } from './info/info.use-case';
import { InspectImageUseCase } from './inspect/inspect.use-case';
import { ImageListing } from './list/image-listing';
import { ListImagesUseCase } from './list/list.use-case';
import { PullUseCase } from './pull/pull.use-case';
import { RemoveImageUseCase } from './remove/remove.use-case';
import { RemoveImagesUseCase } from '../use-cases/remove-images/remove-images.use-case';
import { TagImageUseCase } from './tag/tag.use-case';

/**
 * EngineImagesModule is the Engine API's image endpoints (pull, list, inspect, history, tag, rmi)
 * and the not-found lookups of type-less `docker inspect`. It needs a global Bus.
 */
@Module({
  controllers: [
    EngineImagesController,
    EngineImportController,
    EngineSearchController,
    EngineSaveController,
    EngineLoadController,
    EnginePushController,
    EngineAuthController,
    EngineSpaceController,
    EngineObjectsController,
    EngineDistributionController,
    UnservedRoutesController,
    EventsController,
  ],
  providers: [
    EventLog,
    PullImageUseCase,
    PullUseCase,
    ListImagesUseCase,
    ImageListing,
    InspectImageUseCase,
    ImageHistoryUseCase,
    TagImageUseCase,
    RemoveImageUseCase,
    RemoveImagesUseCase,
    InfoUseCase,
    SaveImagesUseCase,
    PruneImagesUseCase,
    LoadImagesUseCase,
    PushUseCase,
    ImportImageUseCase,
    SearchImagesUseCase,
    SystemDfUseCase,
    InspectDistributionUseCase,
    RuntimeUsage,
  ],
})
export class EngineImagesModule {}
