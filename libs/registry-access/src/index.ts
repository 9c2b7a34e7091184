export type {
  AccessDecision,
  AccessGrant,
  AccessRefusal,
  AccessRequest,
  OciErrorBody,
  RegistryAccessController,
  RequestHeaders,
} from './lib/access.types';
export { BasicAccess } from './lib/basic-access';
export { decodeBasic, bearerToken } from './lib/basic-credentials';
export type { BasicCredentials } from './lib/basic-credentials';
export { basicChallenge, bearerChallenge, errorBody } from './lib/challenge';
export { Htpasswd } from './lib/htpasswd';
export { isLoopback } from './lib/loopback';
export { createRegistryAccess, LoopbackOnlyAccess, OpenAccess } from './lib/registry-access';
export type { RegistryAccess } from './lib/registry-access';
export { CATALOG_ACCESS, formatScope, grants, parseScopes } from './lib/scope';
export type { RegistryAction, ResourceAccess } from './lib/scope';
export { TokenAccess, TOKEN_PATH } from './lib/token-access';
export { TokenEndpoint } from './lib/token-endpoint';
export type { TokenRequest, TokenResponse } from './lib/token-endpoint';
export { loadTokenKeys, tokenKeysOf } from './lib/token-keys';
export type { TokenKeys } from './lib/token-keys';
export { TokenService } from './lib/token-service';
export type { IssuedToken, TokenClaims, TokenServiceOptions } from './lib/token-service';
export { RateLimiter } from './lib/rate-limiter';
export type { RateDecision } from './lib/rate-limiter';
