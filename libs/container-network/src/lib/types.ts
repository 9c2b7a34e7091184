/** NetworkMode is Docker's `--network` for the three modes this library serves. */
export type NetworkMode = 'bridge' | 'host' | 'none';

/** PortProtocol is the transport of a published port. */
export type PortProtocol = 'tcp' | 'udp';

/**
 * PortBinding is one `-p hostIp:hostPort:containerPort/protocol`. As given to attach, `hostIp` ''
 * means every address (Docker's 0.0.0.0) and `hostPort` 0 or absent means "pick a free port from the
 * ephemeral range"; in a {@link NetworkAttachment} both are resolved (hostPort is never 0).
 */
export interface PortBinding {
  readonly containerPort: number;
  readonly protocol: PortProtocol;
  readonly hostIp: string;
  readonly hostPort?: number;
}

/** ResolvedPortBinding is a {@link PortBinding} whose host port was chosen. */
export interface ResolvedPortBinding extends PortBinding {
  readonly hostPort: number;
}

/** AttachOptions says how a container joins the network. */
export interface AttachOptions {
  readonly mode: NetworkMode;
  /** Published ports; ignored in host and none modes, as dockerd discards them there. */
  readonly ports?: readonly PortBinding[];
  /** Endpoint name for Docker's error texts (the container's name without '/'); defaults to the id. */
  readonly name?: string;
}

/**
 * NetworkAttachment is what attach did, as docker inspect's NetworkSettings needs it. In host and
 * none modes the address fields are '' and 0, as dockerd reports them.
 */
export interface NetworkAttachment {
  readonly mode: NetworkMode;
  /**
   * netnsPath is the bind-mounted network namespace the runtime puts in the OCI spec
   * (`linux.namespaces[{type: 'network', path}]`). Only in bridge mode: for none the runtime lets
   * runc make a fresh namespace (loopback only), for host it adds no network namespace at all.
   */
  readonly netnsPath?: string;
  readonly ipAddress: string;
  readonly ipPrefixLen: number;
  readonly gateway: string;
  readonly macAddress: string;
  readonly ports: readonly ResolvedPortBinding[];
  /** endpointId is the 64-hex id Docker shows as NetworkSettings.Networks.bridge.EndpointID. */
  readonly endpointId: string;
  /** bridge is the host bridge's name ('' outside bridge mode). */
  readonly bridge: string;
}

/** ContainerNetworksOptions configures {@link ContainerNetworks}; only stateDir is required. */
export interface ContainerNetworksOptions {
  /** Where attachment records live, e.g. <dataRoot>/runtime/network. */
  readonly stateDir: string;
  /**
   * host-local IPAM leases. The bridge is one per host whatever the number of data roots, so its
   * leases must be too, or two Stevedores on one host hand out the same address; default
   * /run/stevedore/ipam (tmpfs: leases die with the network namespaces at reboot).
   */
  readonly ipamDir?: string;
  /** Directory of the CNI plugins; default /usr/lib/cni (Debian's containernetworking-plugins). */
  readonly cniPath?: string;
  /** Host bridge name (at most 15 characters); default stevedore0. */
  readonly bridge?: string;
  /** IPv4 subnet in CIDR form; default 172.30.0.0/16 (not 172.17/16, dockerd's default). */
  readonly subnet?: string;
  /** Where named network namespaces are bind-mounted; default /run/netns (what `ip netns` uses). */
  readonly netnsDir?: string;
}

/** Preflight says whether bridge mode can work on this host, and if not, why. */
export type Preflight =
  { readonly bridge: true } | { readonly bridge: false; readonly reason: string };

/** HostsFilesOptions are the names and addresses that go into a container's /etc files. */
export interface HostsFilesOptions {
  readonly hostname: string;
  readonly domainname?: string;
  /** The container's address (bridge mode); without it no `<ip> <hostname>` line is written. */
  readonly ipAddress?: string;
  /** `--add-host` entries as Docker takes them: `name:ip`. */
  readonly extraHosts?: readonly string[];
  readonly mode: NetworkMode;
}

/** HostsFilesPaths are the files hostsFiles wrote, to bind-mount over /etc/{hosts,hostname,resolv.conf}. */
export interface HostsFilesPaths {
  readonly hostsPath: string;
  readonly hostnamePath: string;
  readonly resolvConfPath: string;
}
