#!/usr/bin/env node
// Runs the cluster topology on this machine: one process per service (blobstore and metadata
// first), every process a separate `node` with its own environment, talking over RabbitMQ.
// Replica counts: `npm run start:cluster -- fetcher=3 resolver=2 blobstore=2` (metadata on SQLite stays at 1;
// blobstore replicas share the data root and listen on consecutive internal ports, the exporters'
// internal ports follow theirs). The runtime owns this host's containers: one per host, so
// `runtime=1` (the default) or `runtime=0` for a cluster without containers; its internal port
// follows the exporters'.
// Stops every child on SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const services = ['blobstore', 'metadata', 'resolver', 'fetcher', 'exporter', 'runtime', 'gateway'];
const replicas = Object.fromEntries(services.map((s) => [s, 1]));
for (const arg of process.argv.slice(2)) {
  const [name, count] = arg.split('=');
  const zero = name === 'runtime' && count === '0';
  if (!services.includes(name) || (!zero && !/^[1-9][0-9]?$/.test(count ?? ''))) {
    console.error(
      `start-cluster: expected <service>=<count> with a service of ${services.join(', ')}, got "${arg}"`,
    );
    process.exit(2);
  }
  if (name === 'metadata' && count !== '1') {
    console.error(
      'start-cluster: metadata owns the SQLite file here and runs as one process (MongoDB lets it scale)',
    );
    process.exit(2);
  }
  if (name === 'runtime' && Number(count) > 1) {
    console.error(
      'start-cluster: the runtime owns the containers of its host: one per host, and this is one host',
    );
    process.exit(2);
  }
  replicas[name] = Number(count);
}

execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...services], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NX_DAEMON: 'false' },
});

const listen = process.env.STEVEDORE_LISTEN ?? '127.0.0.1:2375';
const [gatewayHost, gatewayPort] = [
  listen.slice(0, listen.lastIndexOf(':')),
  Number(listen.slice(listen.lastIndexOf(':') + 1)),
];
// The registry face (`/v2/`): extra gateways serve it on the next ports too ('off' for none).
const registryListen = process.env.STEVEDORE_REGISTRY_LISTEN ?? '127.0.0.1:5000';
const registryAt = (index) =>
  registryListen === 'off'
    ? 'off'
    : `${registryListen.slice(0, registryListen.lastIndexOf(':'))}:${
        Number(registryListen.slice(registryListen.lastIndexOf(':') + 1)) + index
      }`;
const internal = process.env.STEVEDORE_INTERNAL_LISTEN ?? '127.0.0.1:2380';
const [blobHost, blobPort] = [
  internal.slice(0, internal.lastIndexOf(':')),
  Number(internal.slice(internal.lastIndexOf(':') + 1)),
];
const blobUrls = Array.from(
  { length: replicas.blobstore },
  (_, i) => `http://${blobHost}:${blobPort + i}`,
).join(',');
// The exporters' internal ports come after the blobstores' (2381 with one blobstore, the default).
const exporterPort = blobPort + replicas.blobstore;
const exporterUrls = Array.from(
  { length: replicas.exporter },
  (_, i) => `http://${blobHost}:${exporterPort + i}`,
).join(',');
// The runtime's internal port comes after the exporters' (2382 with the defaults).
const runtimePort = exporterPort + replicas.exporter;
const runtimeUrl = `http://${blobHost}:${runtimePort}`;
// The internal endpoints' shared secret: the operator's when set, otherwise one made for this run
// (every process of the run gets it; nobody else can reach the internal ports without it).
const internalToken = process.env.STEVEDORE_INTERNAL_TOKEN || randomBytes(32).toString('base64url');
const children = [];
function envFor(service, index) {
  // Extra gateway, blobstore and exporter replicas take the next ports, as a load balancer's backends would.
  if (service === 'gateway')
    return {
      STEVEDORE_LISTEN: `${gatewayHost}:${gatewayPort + index}`,
      STEVEDORE_REGISTRY_LISTEN: registryAt(index),
      // `/v2/` streams blobs to and from the blob store.
      STEVEDORE_BLOBSTORE_URL: process.env.STEVEDORE_BLOBSTORE_URL ?? blobUrls,
      STEVEDORE_EXPORTER_URL: process.env.STEVEDORE_EXPORTER_URL ?? exporterUrls,
      STEVEDORE_RUNTIME_URL: process.env.STEVEDORE_RUNTIME_URL ?? runtimeUrl,
    };
  if (service === 'runtime')
    return {
      STEVEDORE_INTERNAL_LISTEN: `${blobHost}:${runtimePort}`,
      STEVEDORE_BLOBSTORE_URL: process.env.STEVEDORE_BLOBSTORE_URL ?? blobUrls,
    };
  if (service === 'blobstore')
    return { STEVEDORE_INTERNAL_LISTEN: `${blobHost}:${blobPort + index}` };
  if (service === 'exporter')
    return {
      STEVEDORE_INTERNAL_LISTEN: `${blobHost}:${exporterPort + index}`,
      STEVEDORE_BLOBSTORE_URL: process.env.STEVEDORE_BLOBSTORE_URL ?? blobUrls,
    };
  // Fetchers on this host write into the blob store's data root themselves (no HTTP hop for bytes).
  if (service === 'fetcher')
    return {
      STEVEDORE_BLOBSTORE_URL: process.env.STEVEDORE_BLOBSTORE_URL ?? blobUrls,
      STEVEDORE_DATA_ROOT: process.env.STEVEDORE_DATA_ROOT ?? './.stevedore',
    };
  return { STEVEDORE_BLOBSTORE_URL: process.env.STEVEDORE_BLOBSTORE_URL ?? blobUrls };
}
function start(service, index) {
  const env = {
    ...process.env,
    STEVEDORE_INTERNAL_TOKEN: internalToken,
    ...envFor(service, index),
  };
  const child = spawn(process.execPath, [resolve(root, 'dist/apps', service, 'main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = replicas[service] > 1 ? `${service}-${index + 1}` : service;
  for (const stream of [child.stdout, child.stderr]) {
    stream
      .setEncoding('utf8')
      .on('data', (chunk) => process.stdout.write(chunk.replace(/^(?=.)/gm, `[${tag}] `)));
  }
  child.on('exit', (code, signal) => {
    if (!stopping)
      console.error(`start-cluster: ${tag} exited (${signal ?? code}); stopping the cluster`);
    stop();
  });
  children.push(child);
}

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const service of services) for (let i = 0; i < replicas[service]; i++) start(service, i);
