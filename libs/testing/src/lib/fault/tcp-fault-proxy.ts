import { connect, createServer, Socket } from 'node:net';
import { boundPort, closeServer, listen } from '../support/net';
import { TcpFaultProxy, TcpFaultRule } from './fault.types';

/** TcpProxyState is what every connection of one proxy shares. */
interface TcpProxyState {
  rule: TcpFaultRule | undefined;
  /** Bumped by every setRule, so byte budgets count from the moment a rule was set. */
  epoch: number;
  paused: boolean;
  fromTarget: number;
}

class Link {
  private epoch = -1;
  private sentInEpoch = 0;
  private stalled = false;
  private finishing = false;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    private readonly state: TcpProxyState,
  ) {
    this.wire(client, upstream, (chunk) => upstream.write(chunk));
    this.wire(upstream, client, (chunk) => this.fromTarget(chunk));
    if (state.paused) this.pause();
  }

  // Manual forwarding instead of pipe(): pipe would resume a socket that pause() froze.
  private wire(from: Socket, to: Socket, forward: (chunk: Buffer) => boolean): void {
    from.on('data', (chunk: Buffer) => {
      if (!forward(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.state.paused && !this.stalled) from.resume();
    });
    from.on('end', () => to.end());
    from.on('error', () => this.destroy());
    from.on('close', () => this.destroy());
  }

  private fromTarget(chunk: Buffer): boolean {
    if (this.stalled) return false;
    const { rule, epoch } = this.state;
    if (this.epoch !== epoch) {
      this.epoch = epoch;
      this.sentInEpoch = 0;
    }
    const limit = rule?.resetAfterBytes ?? rule?.stallAfterBytes;
    if (limit === undefined || this.sentInEpoch + chunk.length < limit) return this.send(chunk);
    this.send(chunk.subarray(0, limit - this.sentInEpoch));
    if (rule?.resetAfterBytes !== undefined) {
      // FIN after the allowed bytes (end() flushes first), so exactly `limit` bytes arrive.
      this.finishing = true;
      this.client.end();
      this.upstream.destroy();
    } else {
      this.stalled = true;
      this.upstream.pause();
    }
    return false;
  }

  private send(chunk: Buffer): boolean {
    this.sentInEpoch += chunk.length;
    this.state.fromTarget += chunk.length;
    return this.client.write(chunk);
  }

  pause(): void {
    this.client.pause();
    this.upstream.pause();
  }

  resume(): void {
    this.client.resume();
    if (!this.stalled) this.upstream.resume();
  }

  cut(): void {
    this.client.resetAndDestroy();
    this.upstream.destroy();
  }

  destroy(): void {
    // A truncating cut lets the client side drain its last bytes; end() already sent the FIN.
    if (!this.finishing) this.client.destroy();
    this.upstream.destroy();
  }
}

function checkRule(rule: TcpFaultRule): void {
  for (const key of ['resetAfterBytes', 'stallAfterBytes', 'delayMs'] as const) {
    const v = rule[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0))
      throw new Error(`${key} must be a non-negative integer`);
  }
  if (rule.resetAfterBytes !== undefined && rule.stallAfterBytes !== undefined) {
    throw new Error('a rule cannot both reset and stall');
  }
}

function openLink(
  client: Socket,
  target: { host: string; port: number },
  state: TcpProxyState,
  links: Set<Link>,
): void {
  client.pause();
  client.on('error', () => client.destroy());
  const upstream = connect({ host: target.host, port: target.port });
  upstream.pause();
  const link = new Link(client, upstream, state);
  links.add(link);
  client.once('close', () => links.delete(link));
  upstream.once('connect', () => {
    if (!state.paused) link.resume();
  });
}

/**
 * startTcpFaultProxy starts a raw TCP proxy on 127.0.0.1:0 that pipes every connection to `target`
 * and can cut, freeze, stall or truncate them (for AMQP and byte-exact transport tests).
 */
export async function startTcpFaultProxy(target: {
  host: string;
  port: number;
}): Promise<TcpFaultProxy> {
  const state: TcpProxyState = { rule: undefined, epoch: 0, paused: false, fromTarget: 0 };
  const links = new Set<Link>();
  const server = createServer((client) => {
    const delay = state.rule?.delayMs ?? 0;
    if (delay > 0) setTimeout(() => openLink(client, target, state, links), delay);
    else openLink(client, target, state, links);
  });
  await listen(server);
  server.unref();
  const port = boundPort(server);
  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    cutAll: () => [...links].forEach((l) => l.cut()),
    pause: () => {
      state.paused = true;
      links.forEach((l) => l.pause());
    },
    resume: () => {
      state.paused = false;
      links.forEach((l) => l.resume());
    },
    setRule: (rule) => {
      if (rule) checkRule(rule);
      state.rule = rule;
      state.epoch++;
    },
    bytesFromTarget: () => state.fromTarget,
    connections: () => links.size,
    stop: () =>
      (stopping ??= (async () => {
        links.forEach((l) => l.destroy());
        await closeServer(server);
      })()),
  };
}
