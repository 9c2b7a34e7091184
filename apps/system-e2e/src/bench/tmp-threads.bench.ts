import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { killAllApps } from '../support/app-process';
import { pushBigImage } from '../support/big-image';
import { Topology, startEmbedded } from '../support/topology';

const run = promisify(execFile);
const SIZE = 128 * 1024 * 1024;
let upstream: RegistryHandle;
let stevedore: Topology;
beforeAll(async () => {
  upstream = await startRegistry();
  const daemonConfig = { 'registry-mirrors': [upstream.url], 'registry-proxy': true };
  stevedore = await startEmbedded(undefined, { daemonConfig, env: JSON.parse(process.env['TMP_ENV'] ?? '{}'), ...(process.env['TMP_DIST'] ? { dist: process.env['TMP_DIST'] } : {}) });
}, 300_000);
afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await upstream?.stop();
});
async function threads(pid: number) {
  const out = new Map<string, number>();
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const k = `${name}`;
    out.set(k + ' u', (out.get(k + ' u') ?? 0) + Number(f[11]) * 10);
    out.set(k + ' s', (out.get(k + ' s') ?? 0) + Number(f[12]) * 10);
  }
  return out;
}
const diff = (a: Map<string, number>, b: Map<string, number>) =>
  [...b].map(([k, v]) => `${k}=${v - (a.get(k) ?? 0)}`).filter((s) => !s.endsWith('=0')).join(' ');
const W = '%{time_starttransfer} %{time_total}\\n';
async function curl(url: string, accept?: string) {
  const args = ['-s', '-o', '/dev/null', '-w', W, ...(accept ? ['-H', `Accept: ${accept}`] : []), url];
  return (await run('curl', args)).stdout.trim();
}
it('threads', async () => {
  const out: string[] = [];
  const pid = stevedore.processes.get('stevedore')!.pid!;
  for (let round = 0; round < Number(process.env['N'] ?? 3); round += 1) {
    const img = await pushBigImage(upstream.host, `library/th-${round}`, SIZE, 7000 + round * 10);
    const big = img.layers[1]!.digest;
    const reg = stevedore.registry;
    await curl(`${reg}/v2/library/th-${round}/manifests/v1`, 'application/vnd.oci.image.manifest.v1+json');
    const a = await threads(pid);
    const t0 = Date.now();
    const p = await curl(`${reg}/v2/library/th-${round}/blobs/${big}`);
    const t1 = Date.now();
    const b = await threads(pid);
    const w = await curl(`${reg}/v2/library/th-${round}/blobs/${big}`);
    const t2 = Date.now();
    const c = await threads(pid);
    out.push(`round ${round}: cold ${t1 - t0}ms [${p}] ${diff(a, b)}\n   warm ${t2 - t1}ms [${w}] ${diff(b, c)}`);
  }
  const hwm = (await readFile(`/proc/${pid}/status`, 'utf8')).match(/VmHWM:\s+(\d+)/)?.[1];
  out.push(`VmHWM ${Number(hwm) >> 10} MB`);
  process.stdout.write(out.join('\n') + '\n');
}, 600_000);
