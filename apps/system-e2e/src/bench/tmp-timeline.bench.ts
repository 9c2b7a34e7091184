import { execFile } from 'node:child_process';
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
  stevedore = await startEmbedded(undefined, { daemonConfig });
}, 300_000);
afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await upstream?.stop();
});
const W = '%{time_starttransfer} %{time_total} %{size_download}\\n';
async function curl(url: string, accept?: string) {
  const args = ['-s', '-o', '/dev/null', '-w', W, ...(accept ? ['-H', `Accept: ${accept}`] : []), url];
  return (await run('curl', args)).stdout.trim();
}
it('timeline', async () => {
  const out: string[] = [];
  for (let round = 0; round < Number(process.env['N'] ?? 3); round += 1) {
    const img = await pushBigImage(upstream.host, `library/tl-${round}`, SIZE, 9000 + round * 10);
    const big = img.layers[1]!.digest;
    const t0 = Date.now();
    const direct = await curl(`${upstream.url}/v2/library/tl-${round}/blobs/${big}`);
    const t1 = Date.now();
    const reg = stevedore.registry;
    const m = await curl(`${reg}/v2/library/tl-${round}/manifests/v1`, 'application/vnd.oci.image.manifest.v1+json');
    const t2 = Date.now();
    const proxied = await curl(`${reg}/v2/library/tl-${round}/blobs/${big}`);
    const t3 = Date.now();
    const warm = await curl(`${reg}/v2/library/tl-${round}/blobs/${big}`);
    const t4 = Date.now();
    const sk = async (host: string, tag: string) => {
      const r = await run('/usr/bin/time', ['-f', '%e s %U u %S s', 'skopeo', 'copy', '--quiet', '--src-tls-verify=false', '--src-no-creds', `docker://${host}/library/tl-${round}:v1`, `oci:/tmp/tl-${tag}-${round}:x`]);
      return r.stderr.trim();
    };
    const img2 = await pushBigImage(upstream.host, `library/tl-${round}`, SIZE, 9500 + round * 10);
    void img2;
    const pid = stevedore.processes.get('stevedore')!.pid!;
    const { procCpuMs } = await import('./bench-support');
    const c0 = await procCpuMs(pid);
    const skD = await sk(upstream.host, 'd');
    const c1 = await procCpuMs(pid);
    const skP = await sk(new URL(reg).host, 'p');
    const c2 = await procCpuMs(pid);
    out.push(`  skopeo direct ${skD} (stevedore cpu ${c1 - c0}); proxied ${skP} (stevedore cpu ${c2 - c1})`);
    out.push(`round ${round}: direct ${t1 - t0}ms [${direct}]; manifest ${t2 - t1}ms [${m}]; proxied ${t3 - t2}ms [${proxied}]; warm ${t4 - t3}ms [${warm}]`);
  }
  process.stdout.write(out.join('\n') + '\n');
}, 600_000);
