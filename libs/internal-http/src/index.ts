export { statusOf, bodyOf, errorFromResponse } from './lib/error-body';
export { Replicas } from './lib/replicas';
export { asPeerUnavailable, isUnreachable } from './lib/peer-unavailable';
export { closeInternal, listenInternal } from './lib/internal-server';
export type { InternalEndpoint, ListenAddress, UpgradeHandler } from './lib/internal-server';
export { InternalPool, isInternalToken, requireInternalToken } from './lib/internal-token';
