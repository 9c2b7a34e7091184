import type { Provider } from '@nestjs/common';
import { ClaimGarbageUseCase } from '../garbage/claim-garbage.use-case';
import { ReleaseGarbageUseCase } from '../garbage/release-garbage.use-case';
import { LeaseContentUseCase } from './lease-content.use-case';
import { ReleaseContentUseCase } from './release-content.use-case';

/** CONTENT_USE_CASES are the use-cases behind ContentHandler: leases on content and GC claims. */
export const CONTENT_USE_CASES: Provider[] = [
  LeaseContentUseCase,
  ReleaseContentUseCase,
  ClaimGarbageUseCase,
  ReleaseGarbageUseCase,
];
