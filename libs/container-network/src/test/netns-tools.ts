import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { freePort } from '@stevedore/testing';
import { run } from '../lib/exec';

/** serveInNetns starts a TCP server inside a namespace that answers every connection with reply. */
export async function serveInNetns(
  netnsPath: string,
  port: number,
  reply: string,
): Promise<ChildProcess> {
  const script = `require('net').createServer((s) => s.end(process.argv[1] + '\\n'))
    .listen(${port}, '0.0.0.0', () => console.log('ready'));`;
  const child = spawn('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', script, reply], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server in ${netnsPath} exited with ${code}`)));
    child.stdout?.once('data', () => resolve());
  });
  return child;
}

/** stopServer kills a server started by serveInNetns and waits for it. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** fetchLine connects to host:port and returns what the peer sent before closing. */
export function fetchLine(host: string, port: number, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`timeout reading ${host}:${port}`)),
    );
    socket.on('data', (b: Buffer) => chunks.push(b));
    socket.on('error', reject);
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').trim()));
  });
}

/**
 * freeLoopbackPort names a port nobody uses on 127.0.0.1 right now, outside the kernel's
 * ephemeral range so that no outbound connection takes it before the test binds it.
 */
export function freeLoopbackPort(): Promise<number> {
  return freePort();
}

/** holdPort listens on 127.0.0.1:port the way a foreign program would. */
export async function holdPort(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** inNetns runs a command inside a namespace. */
export function inNetns(netnsPath: string, args: readonly string[]): ReturnType<typeof run> {
  return run('nsenter', [`--net=${netnsPath}`, ...args]);
}

/** iptablesRules is every iptables table (nat for portmap and masquerade, filter for firewall) as iptables-save prints it. */
export async function iptablesRules(): Promise<string> {
  return (await run('iptables-save', [])).stdout;
}
