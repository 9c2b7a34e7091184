// A process with the guard installed and an HTTP server with one route whose error escapes every
// handler: run by process-guard.spec.ts as a child, so an escape cannot end the test runner.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS } from '../lib/metrics/metrics';
import { installProcessGuard } from '../lib/runtime/process-guard';

installProcessGuard('guarded');
const server = createServer((req, res) => {
  if (req.url === '/throw') {
    res.end('thrown later');
    setImmediate(() => {
      throw new Error('escaped from https://user:hunter2@registry.test/v2/');
    });
  } else if (req.url === '/reject') {
    res.end('rejected later');
    void Promise.reject(new Error('rejected with Authorization: Basic dXNlcjpodW50ZXIy'));
  } else if (req.url === '/metrics') {
    void METRICS.metrics().then((text) => res.end(text));
  } else res.end('OK');
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
