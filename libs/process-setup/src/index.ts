// What an app's preload runs before any dependency loads. Nothing here may load Nest or any other
// package at module level: the preload imports this library first, and whatever it loads would
// be loaded before the preload's calls run.
export { limitCompilerMemory, limitYoungGeneration } from './lib/v8-tuning';
export { deferNestClock, nestTimestamp } from './lib/nest-clock';
export { deferValidatorLibraries, deferredModule } from './lib/lazy-validators';
