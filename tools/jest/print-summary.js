// Sums what tools/jest/summary-reporter.js recorded for every project in this run.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '../../tmp/test-summary');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  const counts = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  for (const key of Object.keys(total)) total[key] += counts[key];
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
if (total.passed + total.failed === 0) process.exitCode = 1;
