import type { ContainerJsonV1 } from '@stevedore/contracts';
import { statusText } from './container-status';

/** PortSummary is one item of a `docker ps` row's `Ports`. */
export interface PortSummary {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** ContainerSummary is one item of `GET /containers/json`, in dockerd's key order. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Ports: PortSummary[];
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, unknown> };
  Mounts: Record<string, unknown>[];
}

/**
 * commandText is `docker ps`'s COMMAND source (dockerd's snapshot): the path, then the arguments,
 * each one that holds a space wrapped in single quotes.
 */
export function commandText(path: string, args: readonly string[]): string {
  if (args.length === 0) return path;
  return `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}

/** portsOf lists `NetworkSettings.Ports` as ps does: one item per binding, or one unbound. */
export function portsOf(settings: Record<string, unknown>): PortSummary[] {
  const ports = (settings['Ports'] ?? {}) as Record<
    string,
    { HostIp: string; HostPort: string }[] | null
  >;
  const out: PortSummary[] = [];
  for (const [spec, bindings] of Object.entries(ports)) {
    const [port = '', proto = 'tcp'] = spec.split('/');
    const PrivatePort = Number(port);
    if (!bindings || bindings.length === 0) out.push({ PrivatePort, Type: proto });
    for (const b of bindings ?? [])
      out.push({ IP: b.HostIp, PrivatePort, PublicPort: Number(b.HostPort), Type: proto });
  }
  return out;
}

/** SummaryOptions say how to show a container's image and whether sizes were asked for. */
export interface SummaryOptions {
  /** What the image name the container was created from resolves to now (undefined: nothing). */
  imageNow?: string;
  size: boolean;
  now: number;
}

/**
 * toContainerSummary derives a `docker ps` row from an inspect answer. `Image` is the name the
 * container was created with while it still names the same image, else the image ID (dockerd).
 */
export function toContainerSummary(c: ContainerJsonV1, options: SummaryOptions): ContainerSummary {
  const named = typeof c.Config['Image'] === 'string' ? (c.Config['Image'] as string) : '';
  const keepName = named !== '' && (named === c.Image || options.imageNow === c.Image);
  return {
    Id: c.Id,
    Names: [c.Name.startsWith('/') ? c.Name : `/${c.Name}`],
    Image: keepName ? named : c.Image,
    ImageID: c.Image,
    Command: commandText(c.Path, c.Args),
    Created: Math.floor(Date.parse(c.Created) / 1000),
    Ports: portsOf(c.NetworkSettings),
    ...(options.size ? { SizeRw: c.SizeRw ?? 0, SizeRootFs: c.SizeRootFs ?? 0 } : {}),
    Labels: (c.Config['Labels'] as Record<string, string> | undefined) ?? null,
    State: c.State.Status,
    Status: statusText(c.State, options.now),
    HostConfig: { NetworkMode: String(c.HostConfig['NetworkMode'] ?? 'default') },
    NetworkSettings: {
      Networks: (c.NetworkSettings['Networks'] as Record<string, unknown> | undefined) ?? {},
    },
    Mounts: c.Mounts,
  };
}
