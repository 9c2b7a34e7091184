// Records each Jest run's counts so that tools/run-tests.sh can close the whole
// multi-project run with one plain "N passed, N failed, N skipped" line.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '../../tmp/test-summary');

class SummaryReporter {
  constructor(globalConfig) {
    this.name = path.basename(globalConfig.rootDir) + '-' + process.pid;
  }
  onRunComplete(_contexts, results) {
    fs.mkdirSync(dir, { recursive: true });
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, `${this.name}.json`), JSON.stringify(counts));
  }
}
module.exports = SummaryReporter;
