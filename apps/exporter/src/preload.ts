import {
  deferNestClock,
  limitCompilerMemory,
  limitYoungGeneration,
} from '@stevedore/process-setup';

// Before anything loads Nest: its logger modules then keep a deferred date formatter.
deferNestClock();
limitCompilerMemory();
limitYoungGeneration();
