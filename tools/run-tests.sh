#!/usr/bin/env bash
# The test command behind `npm test`: test tools and RabbitMQ first, then lint, type-check
# and every project's tests, closed by one summary line over all projects.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false
bash tools/setup/ensure-test-env.sh || exit 1
rm -rf tmp/test-summary
npx prettier --check . --log-level warn || { echo "format: run npx prettier --write . (config in .prettierrc)" >&2; exit 1; }
npx nx run-many -t lint typecheck test --parallel=2 --outputStyle=static "$@"
rc=$?
node tools/jest/print-summary.js || rc=1
exit $rc
