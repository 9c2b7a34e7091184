export * from './lib/types';
export { ContainerNetworks } from './lib/container-networks';
export { filterResolvDns, containerResolvConf } from './lib/resolv-conf';
