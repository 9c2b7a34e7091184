import {
  DomainError,
  defaultTargetPlatform,
  formatPlatform,
  hostPlatform,
  parseReference,
} from '@stevedore/domain';
import type { BuildRequest } from '@stevedore/runtime-http';
import { QueryValue, all, boolParam, one, platformParam } from '../engine/request-params';
import {
  assertClassicBuilder,
  assertLinuxOptions,
  assertNothingUnapplied,
  extraHosts,
  int64OrZero,
  networkMode,
  removeIntermediate,
  shmSize,
} from './build-query';
import { decodeGoJson } from './go-json';

type Q = Record<string, QueryValue>;

/**
 * buildRequestOf reads `POST /build`'s query as dockerd 20.10's newImageBuildOptions and its
 * classic builder do, in their order, so the first bad parameter is the one dockerd names; every
 * refusal is a DomainError in dockerd's words and happens before any byte of the context is read.
 */
export function buildRequestOf(q: Q, apiVersion: string): BuildRequest {
  const shm = shmSize(q['shmsize']);
  assertLinuxOptions(q);
  const ulimits = jsonParam(q['ulimits'], '[]*units.Ulimit', 'error reading ulimit settings');
  const buildArgs = jsonParam(q['buildargs'], 'map[string]*string', 'error reading build args');
  const labels = jsonParam(q['labels'], 'map[string]string', 'error reading labels');
  const cacheFrom = jsonParam(q['cachefrom'], '[]string');
  assertClassicBuilder(q['version']);
  assertNothingUnapplied(q, ulimits ?? []);
  const request: BuildRequest = {
    dockerfile: one(q['dockerfile']) || 'Dockerfile',
    tags: buildTags(q['t']),
    buildArgs: buildArgs ?? {},
    labels: labels ?? {},
    noCache: boolParam(q['nocache']),
    pull: boolParam(q['pull']),
    quiet: boolParam(q['q']),
    rm: removeIntermediate(q),
    forceRm: boolParam(q['forcerm']),
    cacheFrom: cacheFrom ?? [],
    networkMode: networkMode(q['networkmode']),
    extraHosts: extraHosts(q['extrahosts']),
    apiVersion,
  };
  return withOptionals(request, q, shm);
}

function jsonParam<T extends Parameters<typeof decodeGoJson>[1]>(
  value: QueryValue,
  type: T,
  context?: string,
) {
  const raw = one(value) ?? '';
  return raw === '' ? undefined : decodeGoJson(raw, type, context);
}

/** withOptionals adds the parameters that are absent unless given (limits, target, platform, remote). */
function withOptionals(request: BuildRequest, q: Q, shm: number | undefined): BuildRequest {
  const optional: Partial<BuildRequest> = {
    target: one(q['target']) || undefined,
    platform: hostOnly(platformParam(q['platform'])),
    remote: one(q['remote']) || undefined,
    memory: int64OrZero(q['memory']),
    memorySwap: int64OrZero(q['memswap']),
    cpuShares: int64OrZero(q['cpushares']),
    cpuQuota: int64OrZero(q['cpuquota']),
    cpuPeriod: int64OrZero(q['cpuperiod']),
    cpusetCpus: one(q['cpusetcpus']) || undefined,
    shmSize: shm || undefined,
  };
  const defined = Object.entries(optional).filter(([, v]) => v !== undefined);
  return { ...request, ...Object.fromEntries(defined) };
}

/**
 * buildTags are the `t` parameters as dockerd's sanitizeRepoAndTags keeps them: empty ones
 * skipped, each parsed (the reference grammar's error otherwise), no digest, `latest` by default,
 * each once.
 */
export function buildTags(value: QueryValue): string[] {
  const tags = all(value)
    .filter((t) => t !== '')
    .map((t) => {
      const ref = parseReference(t);
      if (ref.digest) throw DomainError.invalidArgument('build tag cannot contain a digest');
      return ref.normalized().toString();
    });
  return [...new Set(tags)];
}

/**
 * hostOnly keeps a `platform` that is this host's: the runtime runs RUN steps natively and cannot
 * build for another OS or architecture, so any other is refused rather than mislabelled.
 */
function hostOnly(platform: string | undefined): string | undefined {
  if (platform === undefined) return undefined;
  const host = formatPlatform(defaultTargetPlatform(hostPlatform(process.arch, process.platform)));
  if (platform === host) return platform;
  throw DomainError.invalidArgument(
    `image platform ${platform} is not supported: this daemon builds for ${host} only`,
  );
}
