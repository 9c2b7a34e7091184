import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { REGISTRY_ACCESS, RegistryAccess, isLoopback } from './registry-access';
import { RegistryContext, RegistryHandler } from './registry-context';
import { RegistryError, toRegistryError } from './registry-error';
import { actionsOf, parseRoute, repositoryOfRoute, RegistryRoute } from './registry-route';
import { DiscoveryHandlers } from './discovery.handlers';
import { ManageHandlers } from './manage.handlers';
import { PullHandlers } from './pull.handlers';
import { PushHandlers } from './push.handlers';
import type { TokenEndpoint } from '@stevedore/registry-access';
import { REGISTRY_TOKEN_ENDPOINT, serveToken } from '../registry-auth/token-route';
import { registryClients } from '../registry-proxy/registry-client-context';
import { countOperation } from '../registry-proxy/registry-metrics';

/** RegistryListenOptions says where `/v2/` listens and whether it may do so beyond loopback without auth. */
export interface RegistryListenOptions {
  readonly host: string;
  readonly port: number;
  /** Listen beyond loopback although the access hook authenticates nobody (STEVEDORE_REGISTRY_INSECURE). */
  readonly allowUnauthenticated?: boolean;
}

/**
 * RegistryServer is the OCI distribution API (`/v2/`) on its own listener: every request goes
 * through the access hook first, then to the handler of its route; whatever fails is answered in
 * the spec's error JSON. It holds no state: uploads live in the blob store, records in metadata.
 */
@Injectable()
export class RegistryServer implements OnApplicationShutdown {
  private readonly logger = new Logger('registry');
  private readonly routes: Record<string, RegistryHandler>;
  private server: Server | undefined;
  private selfHosts = new Set<string>();

  constructor(
    @Inject(REGISTRY_ACCESS) private readonly access: RegistryAccess,
    pull: PullHandlers,
    discovery: DiscoveryHandlers,
    push: PushHandlers,
    manage: ManageHandlers,
    @Optional() @Inject(REGISTRY_TOKEN_ENDPOINT) private readonly tokens?: TokenEndpoint,
  ) {
    this.routes = { ...pull.routes(), ...discovery.routes(), ...push.routes(), ...manage.routes() };
  }

  /** addRoutes plugs more handlers in (push, discovery, management) keyed `<METHOD> <route kind>`. */
  addRoutes(routes: Record<string, RegistryHandler>): void {
    Object.assign(this.routes, routes);
  }

  async listen(options: RegistryListenOptions): Promise<AddressInfo> {
    if (!isLoopback(options.host) && options.host !== 'localhost' && !this.access.secured) {
      if (!options.allowUnauthenticated)
        throw new Error(
          `the registry refuses to listen on ${options.host} without authentication ` +
            '(configure access control, or set STEVEDORE_REGISTRY_INSECURE=1 to allow it)',
        );
      this.logger.warn(`registry listens on ${options.host} without authentication`);
    }
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    server.listen(options.port, options.host);
    await once(server, 'listening');
    this.server = server;
    const address = server.address() as AddressInfo;
    for (const host of ['localhost', '127.0.0.1', '[::1]', options.host])
      this.selfHosts.add(`${host}:${address.port}`);
    return address;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** handle answers one request; exposed for tests that mount it on their own server. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('docker-distribution-api-version', 'registry/2.0');
    // The client travels with the request, for the access hook to name and the miss hook to limit.
    registryClients.run({ remoteAddress: req.socket.remoteAddress }, () =>
      this.dispatch(req, res).catch((err: unknown) => this.fail(res, err)),
    );
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry');
    if (await serveToken(this.tokens, req, res, url)) return;
    const route = parseRoute(url.pathname);
    await this.authorize(req, route);
    const method = req.method ?? 'GET';
    const handler = this.routes[`${method} ${route.kind}`];
    if (!handler) throw new RegistryError(405, 'UNSUPPORTED', `${method} is not supported here`);
    const host = (req.headers.host ?? [...this.selfHosts][0] ?? 'localhost').toLowerCase();
    const selfHosts = new Set([...this.selfHosts, host]);
    await handler({ req, res, url, route, selfHosts, host } satisfies RegistryContext);
    countOperation(route, method, res.statusCode);
  }

  private async authorize(req: IncomingMessage, route: RegistryRoute): Promise<void> {
    const repository = repositoryOfRoute(route);
    const decision = await this.access.authorize({
      method: req.method ?? 'GET',
      ...(repository === undefined ? {} : { repository }),
      actions: actionsOf(route, req.method ?? 'GET'),
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
    });
    if (decision === 'allow') return;
    const headers: Record<string, string> = decision.wwwAuthenticate
      ? { 'www-authenticate': decision.wwwAuthenticate }
      : {};
    throw new RegistryError(decision.status, decision.code, decision.message, null, headers);
  }

  private fail(res: ServerResponse, err: unknown): void {
    const error = toRegistryError(err);
    if (error.status >= 500) this.logger.warn({ msg: 'registry request failed', err: String(err) });
    // Mid-stream, cutting the connection is the only signal left.
    if (res.headersSent) return void res.destroy();
    const body = error.body();
    res.writeHead(error.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...error.headers,
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}
