export * from './lib/errors/error-codes';
export * from './lib/errors/domain-error';
export * from './lib/digest/digest';
export * from './lib/digest/digester';
export * from './lib/digest/well-known';
export { chainId, chainIds } from './lib/digest/chain-id';
