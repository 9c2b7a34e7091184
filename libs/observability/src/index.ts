export { METRICS, recordMessage, recordBlob } from './lib/metrics/metrics';
export { startHealthServer, healthAddress } from './lib/health/health-server';
export type { Readiness } from './lib/health/health-server';
