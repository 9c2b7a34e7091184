#!/usr/bin/env bash
# Benchmarks: Stevedore against skopeo in the same process tree, on both topologies.
# Reports ratios and times; asserts nothing about speed. BENCH_ROUNDS / BENCH_WARM_ROUNDS tune it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false
bash tools/setup/ensure-test-env.sh
npx nx run system-e2e:bench --outputStyle=static
