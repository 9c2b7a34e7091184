import type { NestExpressApplication } from '@nestjs/platform-express';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { installUpgradeDispatch } from '../engine-containers/hijack/upgrade-dispatch';

/**
 * serveUnixSocket serves the app's Engine API on a unix socket as well, as dockerd's
 * `-H unix:///var/run/docker.sock` does: the same Express listener and upgrade dispatch, so
 * attach and exec hijack there as on TCP. Clients that only ever dial a socket path (podman's and
 * buildah's `docker-daemon:`) reach Stevedore with nothing in between. A socket left by an earlier
 * run is replaced; any other file at the path is refused rather than deleted. The socket is
 * mode 0660 (owner and group, like dockerd's with its `docker` group) and removed at exit.
 */
export async function serveUnixSocket(app: NestExpressApplication, path: string): Promise<Server> {
  const existing = statOrUndefined(path);
  if (existing && !existing.isSocket())
    throw new Error(`cannot serve on ${path}: it exists and is not a socket`);
  if (existing) unlinkSync(path);
  const server = createServer(app.getHttpAdapter().getInstance());
  installUpgradeDispatch(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o660);
  process.once('exit', () => removeIfSocket(path));
  return server;
}

function statOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function removeIfSocket(path: string): void {
  if (statOrUndefined(path)?.isSocket()) unlinkSync(path);
}
