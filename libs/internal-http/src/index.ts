export { statusOf, bodyOf, errorFromResponse } from './lib/error-body';
export { Replicas, isUnreachable } from './lib/replicas';
export { closeInternal, listenInternal } from './lib/internal-server';
export type { InternalEndpoint, ListenAddress } from './lib/internal-server';
export { InternalPool, isInternalToken, requireInternalToken } from './lib/internal-token';
