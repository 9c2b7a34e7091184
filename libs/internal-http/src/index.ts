export { statusOf, bodyOf, errorFromResponse } from './lib/error-body';
export { Replicas, isUnreachable } from './lib/replicas';
export { ListenAddress, closeInternal, listenInternal } from './lib/internal-server';
