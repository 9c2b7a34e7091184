import { setFlagsFromString } from 'node:v8';

// V8 tuning for the apps' entry points: each app decides what its process runs with, so no
// library changes V8 behind its back. The settings stay only while a measurement shows they pay
// (apps/system-e2e/src/bench/memory.bench.ts runs every process with and without them):
// STEVEDORE_MEMORY_TUNING=off turns them all off, for that comparison.

/** tuningOff tells whether the process was started with STEVEDORE_MEMORY_TUNING=off. */
function tuningOff(): boolean {
  return process.env['STEVEDORE_MEMORY_TUNING'] === 'off';
}

/**
 * limitCompilerMemory keeps WebAssembly code on V8's baseline compiler. undici parses HTTP with
 * llhttp compiled to WebAssembly, and the optimising tier-up of that module, on the first request,
 * takes about 35 MB of native memory for a moment: a third of an idle service's resident set, and
 * what would push a 200 MB pull past its 150 MB budget. Baseline code parses headers fast enough
 * (bodies pass through as slices). Call it first in every main, before any HTTP request compiles
 * the module; flags set later do not apply to code compiled earlier.
 */
export function limitCompilerMemory(): void {
  if (tuningOff()) return;
  setFlagsFromString('--liftoff-only');
}

/**
 * limitYoungGeneration keeps V8's young generation at its initial size (1 MB a semi-space) instead
 * of letting it grow to 16 MB a semi-space: start-up (Nest building the app) allocates enough to
 * grow it, and the pages it grew into stay resident in an idle service, some 11 MB of one that
 * holds only 20 MB of live objects. Short-lived garbage is then collected in smaller, more
 * frequent scavenges. Works at run time (unlike `--max-semi-space-size`): call it first in every
 * main.
 */
export function limitYoungGeneration(): void {
  if (tuningOff()) return;
  setFlagsFromString('--semi-space-growth-factor=1');
}
