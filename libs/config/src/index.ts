export { ConfigError, formatProblem } from './lib/config-error';
export type { ConfigProblem } from './lib/config-error';
export { validateConfig } from './lib/validate-config';
export type { Environment } from './lib/validate-config';
export { loadConfigOrExit, EX_CONFIG } from './lib/load-config';
export type { LoadConfigOptions } from './lib/load-config';
export { Sensitive, isSensitiveVariable, redactUrlCredentials } from './lib/sensitive';
export {
  IsListenAddress,
  parseListenAddress,
  listenAddressProblem,
} from './lib/validators/listen-address';
export type { ListenAddress } from './lib/validators/listen-address';
export { IsAmqpUrl, amqpUrlProblem } from './lib/validators/amqp-url';
export { LOG_LEVELS, IsLogLevel, nestLogLevels, nestStartupLogLevels } from './lib/log-level';
export type { LogLevel, NestLogLevel } from './lib/log-level';
export {
  DEFAULT_MAX_UPSTREAM_BACKOFF_SECONDS,
  ingestLimitsOf,
  loadDaemonConfig,
  maxUpstreamBackoffMs,
  parseDaemonConfig,
} from './lib/daemon-config';
export type { DaemonConfig } from './lib/daemon-config';
export {
  DEFAULT_TOKEN_EXPIRY_SECONDS,
  DEFAULT_TOKEN_ISSUER,
  DEFAULT_TOKEN_SERVICE,
} from './lib/registry-auth-config';
export { DEFAULT_REGISTRY_PROXY } from './lib/registry-proxy-config';
export type { RegistryProxyConfig } from './lib/registry-proxy-config';
export type {
  AnonymousPull,
  RegistryAuthConfig,
  RegistryTokenConfig,
} from './lib/registry-auth-config';
export { IsBlobstoreUrls, parseBlobstoreUrls } from './lib/validators/blobstore-urls';
export { IsUrlList, parseUrlList } from './lib/validators/url-list';
export {
  IsInternalToken,
  MIN_INTERNAL_TOKEN_LENGTH,
  internalTokenProblem,
} from './lib/validators/internal-token';
export { IsOptionalApiVersion } from './lib/validators/api-version';
