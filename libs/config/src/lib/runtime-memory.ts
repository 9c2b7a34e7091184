import { setFlagsFromString } from 'node:v8';

/**
 * limitCompilerMemory keeps WebAssembly code on V8's baseline compiler. undici parses HTTP with
 * llhttp compiled to WebAssembly, and the optimising tier-up of that module, on the first request,
 * takes about 35 MB of native memory for a moment: a third of an idle service's resident set, and
 * what would push a 200 MB pull past its 150 MB budget. Baseline code parses headers fast enough
 * (bodies pass through as slices). Call it first in every main, before any HTTP request compiles
 * the module; flags set later do not apply to code compiled earlier.
 */
export function limitCompilerMemory(): void {
  setFlagsFromString('--liftoff-only');
}
