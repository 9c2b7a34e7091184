import {
  deferNestClock,
  deferValidatorLibraries,
  limitCompilerMemory,
  limitYoungGeneration,
} from '@stevedore/process-setup';

// V8 flags first: loading Nest below would otherwise grow the young generation before its limit.
limitCompilerMemory();
limitYoungGeneration();
// Before anything loads Nest: its logger modules then keep a deferred date formatter.
deferNestClock();
// Before anything imports class-validator: the checks no service uses then stay unloaded.
deferValidatorLibraries();
