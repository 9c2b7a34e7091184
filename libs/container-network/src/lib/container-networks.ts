import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import {
  bridgeConflist,
  cniAdd,
  cniDel,
  loopbackUp,
  type CniCall,
  type CniNetworkList,
} from './cni';
import { parseCniResult } from './cni-result';
import { leasedResult } from './lease';
import { writeEtcFiles } from './etc-files';
import { createNetns, removeNetns } from './netns';
import { resolvePorts, validatePorts } from './ports';
import { checkBridge } from './preflight';
import { RecordStore, type AttachmentRecord } from './records';
import type {
  AttachOptions,
  ContainerNetworksOptions,
  HostsFilesOptions,
  HostsFilesPaths,
  NetworkAttachment,
  Preflight,
} from './types';

/** Container ids become file names, so they are held to Docker's id and name alphabet. */
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const IF_NAME = 'eth0';

/**
 * ContainerNetworks connects containers to the host the three ways `docker run --network` offers.
 * bridge: a named network namespace wired by the CNI plugins (bridge + host-local + portmap +
 * firewall) to a host bridge, ports published by iptables DNAT; host and none need no setup. Every
 * attachment is recorded under stateDir, so detach and reconcile work after a restart of the
 * process. Calls on one instance are serialised (port allocation reads all records); run one
 * instance per stateDir.
 */
export class ContainerNetworks {
  private readonly records: RecordStore;
  private readonly cniPath: string;
  private readonly bridge: string;
  private readonly subnet: string;
  private readonly netnsDir: string;
  private bridgeReady = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ContainerNetworksOptions) {
    this.records = new RecordStore(options.stateDir);
    this.cniPath = options.cniPath ?? '/usr/lib/cni';
    this.bridge = options.bridge ?? 'stevedore0';
    this.subnet = options.subnet ?? '172.30.0.0/16';
    this.netnsDir = options.netnsDir ?? '/run/netns';
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(this.bridge)) {
      throw DomainError.invalidArgument(
        `invalid bridge name "${this.bridge}" (at most 15 characters)`,
      );
    }
  }

  /** preflight checks root, iptables, the CNI plugins and namespace creation, naming the first failure. */
  preflight(): Promise<Preflight> {
    return checkBridge({ cniPath: this.cniPath, netnsDir: this.netnsDir });
  }

  /**
   * attach connects a container and records it. bridge throws UNSUPPORTED (with the cause) where
   * preflight fails, CONFLICT with dockerd's text when a host port is taken, and leaves nothing
   * behind on any failure. A container attached already is a CONFLICT: detach it first.
   */
  attach(containerId: string, opts: AttachOptions): Promise<NetworkAttachment> {
    return this.serial(async () => {
      checkId(containerId);
      if (await this.records.get(containerId)) {
        throw DomainError.conflict(`container ${containerId} is already attached to a network`);
      }
      if (opts.mode !== 'bridge') return this.attachPlain(containerId, opts.mode);
      validatePorts(opts.ports ?? []);
      const ready = await this.ensureBridge();
      if (!ready.bridge)
        throw DomainError.unsupported(`bridge networking is not available: ${ready.reason}`);
      return this.attachBridge(containerId, opts);
    });
  }

  /** detach undoes attach: CNI DEL, namespace removal, record removal. Unknown ids are a no-op. */
  detach(containerId: string): Promise<void> {
    return this.serial(() => this.detachNow(containerId));
  }

  /** inspect returns the recorded attachment, for NetworkSettings, or undefined. */
  async inspect(containerId: string): Promise<NetworkAttachment | undefined> {
    checkId(containerId);
    const record = await this.records.get(containerId);
    return record?.state === 'attached' ? record.attachment : undefined;
  }

  /** reconcile detaches every recorded container not in liveIds and returns the ids it detached. */
  reconcile(liveIds: readonly string[]): Promise<string[]> {
    return this.serial(async () => {
      const live = new Set(liveIds);
      const gone = (await this.records.list())
        .map((r) => r.containerId)
        .filter((id) => !live.has(id));
      for (const id of gone) await this.detachNow(id);
      return gone;
    });
  }

  /** hostsFiles writes hosts, hostname and resolv.conf into containerDir as dockerd does and returns their paths. */
  hostsFiles(containerDir: string, opts: HostsFilesOptions): Promise<HostsFilesPaths> {
    return writeEtcFiles(containerDir, opts);
  }

  private async attachPlain(
    containerId: string,
    mode: 'host' | 'none',
  ): Promise<NetworkAttachment> {
    const attachment: NetworkAttachment = { ...emptyAttachment(mode), endpointId: newEndpointId() };
    await this.records.put({ version: 1, containerId, state: 'attached', attachment });
    return attachment;
  }

  private async attachBridge(containerId: string, opts: AttachOptions): Promise<NetworkAttachment> {
    const taken = (await this.records.list()).flatMap((r) => r.attachment.ports);
    const endpoint = { name: opts.name ?? containerId, id: newEndpointId() };
    const ports = await resolvePorts(opts.ports ?? [], taken, endpoint);
    const netnsPath = join(this.netnsDir, netnsName(containerId));
    const cni = { list: this.conflist(), cniPath: this.cniPath, ifName: IF_NAME };
    const pending: NetworkAttachment = {
      ...emptyAttachment('bridge'),
      netnsPath,
      ports,
      endpointId: endpoint.id,
    };
    // Recorded before anything exists, so a crash from here on leaves what detach needs.
    await this.records.put({ version: 1, containerId, state: 'pending', attachment: pending, cni });
    const call: CniCall = { cniPath: this.cniPath, containerId, netnsPath, ifName: IF_NAME, ports };
    try {
      await createNetns(this.netnsDir, netnsName(containerId));
      await loopbackUp(call);
      const result = await cniAdd(cni.list, call);
      const attachment = { ...pending, ...parseCniResult(result, IF_NAME), bridge: this.bridge };
      await this.records.put({
        version: 1,
        containerId,
        state: 'attached',
        attachment,
        cni: { ...cni, result },
      });
      return attachment;
    } catch (e) {
      // DEL is idempotent: it also covers a failure after ADD succeeded (an unreadable result, a full disk).
      const prev = await leasedResult(cni.list, containerId, IF_NAME, netnsPath);
      await cniDel(cni.list, call, prev).catch(() => undefined);
      await removeNetns(netnsPath).catch(() => undefined);
      await this.records.remove(containerId);
      throw e;
    }
  }

  private conflist(): CniNetworkList {
    const ipamDir = this.options.ipamDir ?? '/run/stevedore/ipam';
    return bridgeConflist({ name: this.bridge, bridge: this.bridge, subnet: this.subnet, ipamDir });
  }

  private async detachNow(containerId: string): Promise<void> {
    checkId(containerId);
    const record = await this.records.get(containerId);
    if (!record) return;
    const netnsPath = record.attachment.netnsPath;
    if (record.cni && netnsPath) {
      await this.cniDelFor(record, netnsPath);
      await removeNetns(netnsPath);
    }
    await this.records.remove(containerId);
  }

  private async cniDelFor(record: AttachmentRecord, netnsPath: string): Promise<void> {
    const cni = record.cni;
    if (!cni) return;
    const call: CniCall = {
      cniPath: cni.cniPath,
      containerId: record.containerId,
      netnsPath,
      ifName: cni.ifName,
      ports: record.attachment.ports,
    };
    const prev =
      cni.result ?? (await leasedResult(cni.list, record.containerId, cni.ifName, netnsPath));
    try {
      await cniDel(cni.list, call, prev);
    } catch (e) {
      // A pending record may stop at any step; DEL of steps never run is allowed to fail.
      if (record.state === 'attached') throw e;
    }
  }

  private async ensureBridge(): Promise<Preflight> {
    // Only a success is remembered: a failure may be fixed (iptables installed) without a restart.
    if (this.bridgeReady) return { bridge: true };
    const result = await this.preflight();
    this.bridgeReady = result.bridge;
    return result;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function checkId(containerId: string): void {
  if (!CONTAINER_ID.test(containerId))
    throw DomainError.invalidArgument(`invalid container id: "${containerId}"`);
}

function netnsName(containerId: string): string {
  return `stevedore-${containerId}`;
}

function newEndpointId(): string {
  return randomBytes(32).toString('hex');
}

function emptyAttachment(mode: NetworkAttachment['mode']): Omit<NetworkAttachment, 'endpointId'> {
  return {
    mode,
    ipAddress: '',
    ipPrefixLen: 0,
    gateway: '',
    macAddress: '',
    ports: [],
    bridge: '',
  };
}
