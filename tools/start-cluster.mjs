#!/usr/bin/env node
// Runs the cluster topology on this machine: one process per service (blobstore and metadata
// first), every process a separate `node` with its own environment, talking over RabbitMQ.
// Replica counts: `npm run start:cluster -- fetcher=3 resolver=2` (metadata on SQLite stays at 1).
// Stops every child on SIGINT/SIGTERM.
import { spawn, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const services = ['blobstore', 'metadata', 'resolver', 'fetcher', 'exporter', 'gateway'];
const replicas = Object.fromEntries(services.map((s) => [s, 1]));
for (const arg of process.argv.slice(2)) {
  const [name, count] = arg.split('=');
  if (!services.includes(name) || !/^[1-9][0-9]?$/.test(count ?? '')) {
    console.error(`start-cluster: expected <service>=<count> with a service of ${services.join(', ')}, got "${arg}"`);
    process.exit(2);
  }
  if ((name === 'metadata' || name === 'blobstore') && count !== '1') {
    console.error(`start-cluster: ${name} owns local state here and runs as one process`);
    process.exit(2);
  }
  replicas[name] = Number(count);
}

execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...services], { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });

const listen = process.env.STEVEDORE_LISTEN ?? '127.0.0.1:2375';
const [gatewayHost, gatewayPort] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
const children = [];
function start(service, index) {
  // Extra gateway replicas take the next ports, as a load balancer's backends would.
  const env = { ...process.env, ...(service === 'gateway' ? { STEVEDORE_LISTEN: `${gatewayHost}:${gatewayPort + index}` } : {}) };
  const child = spawn(process.execPath, [resolve(root, 'dist/apps', service, 'main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tag = replicas[service] > 1 ? `${service}-${index + 1}` : service;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (chunk) => process.stdout.write(chunk.replace(/^(?=.)/gm, `[${tag}] `)));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`start-cluster: ${tag} exited (${signal ?? code}); stopping the cluster`);
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
