import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** METRICS is this process's Prometheus registry: what `/metrics` serves. */
export const METRICS = new Registry();
collectDefaultMetrics({ register: METRICS, prefix: 'stevedore_' });

const messages = new Counter({
  name: 'stevedore_messages_total',
  help: 'Bus messages handled, by pattern and outcome (ok or the domain error code).',
  labelNames: ['pattern', 'outcome'] as const,
  registers: [METRICS],
});

const durations = new Histogram({
  name: 'stevedore_message_duration_seconds',
  help: 'Time from receiving a bus message to the end of its handling, by pattern.',
  labelNames: ['pattern'] as const,
  buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60, 300],
  registers: [METRICS],
});

const errors = new Counter({
  name: 'stevedore_errors_total',
  help: 'Failed operations by domain error code.',
  labelNames: ['code'] as const,
  registers: [METRICS],
});

const blobs = new Counter({
  name: 'stevedore_blobs_total',
  help: 'Blobs moved, by direction (fetched from a registry, pushed to one).',
  labelNames: ['direction'] as const,
  registers: [METRICS],
});

const bytes = new Counter({
  name: 'stevedore_blob_bytes_total',
  help: 'Blob bytes moved, by direction (fetched from a registry, pushed to one).',
  labelNames: ['direction'] as const,
  registers: [METRICS],
});

/** recordMessage counts one handled message and how long it took. */
export function recordMessage(pattern: string, outcome: string, seconds: number): void {
  messages.inc({ pattern, outcome });
  durations.observe({ pattern }, seconds);
  if (outcome !== 'ok') errors.inc({ code: outcome });
}

/** recordBlob counts one blob of `size` bytes moved in `direction`. */
export function recordBlob(direction: 'fetched' | 'pushed', size: number): void {
  blobs.inc({ direction });
  bytes.inc({ direction }, size);
}

const registryOps = new Counter({
  name: 'stevedore_registry_operations_total',
  help: 'Manifests served to (pull) and accepted from (push) clients of /v2/, by repository.',
  labelNames: ['repository', 'operation'] as const,
  registers: [METRICS],
});

const registryContent = new Counter({
  name: 'stevedore_registry_content_total',
  help: 'Manifests and blobs asked of /v2/, by whether the store had them (hit) or not (miss).',
  labelNames: ['kind', 'result'] as const,
  registers: [METRICS],
});

/** recordRegistryOperation counts one manifest pulled from or pushed to `repository` on /v2/. */
export function recordRegistryOperation(repository: string, operation: 'pull' | 'push'): void {
  registryOps.inc({ repository, operation });
}

/**
 * recordRegistryContent counts a manifest or blob request as a store hit or a miss (what the
 * pull-through cache fetches); the hit ratio is hits / (hits + misses).
 */
export function recordRegistryContent(kind: 'manifest' | 'blob', result: 'hit' | 'miss'): void {
  registryContent.inc({ kind, result });
}
