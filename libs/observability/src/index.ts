export {
  METRICS,
  recordMessage,
  recordBlob,
  recordRegistryContent,
  recordRegistryOperation,
} from './lib/metrics/metrics';
export { startHealthServer, healthAddress } from './lib/health/health-server';
export type { Readiness } from './lib/health/health-server';
export { ServiceLogger } from './lib/logging/service-logger';
export { installProcessGuard } from './lib/runtime/process-guard';
export { logUnexpected, internalErrorMessage } from './lib/errors/unexpected-error';
export type { ExpectedRejection } from './lib/runtime/process-guard';
