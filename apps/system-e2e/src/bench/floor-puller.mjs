// The "floor" of the pull benchmark: an ideal Node puller with nothing but the work itself — a
// manifest, then every blob over 8 parallel keep-alive streams, one sha256 per byte, synchronous
// writes, one fsync per blob, an atomic rename. Usage: node floor-puller.mjs <host> <repo> <tag> <dir>
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';

const [host, repo, tag, dir] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const ACCEPT =
  'application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json';

function request(path, onChunk) {
  return new Promise((resolve, reject) => {
    get(`http://${host}/v2/${repo}/${path}`, { agent, headers: { accept: ACCEPT } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${path}: ${res.statusCode}`));
      res.on('data', onChunk).on('end', resolve).on('error', reject);
    }).on('error', reject);
  });
}

async function blob({ digest, size }) {
  const temp = join(dir, `${digest.slice(7)}.part`);
  const fd = openSync(temp, 'w');
  const hash = createHash('sha256');
  let got = 0;
  await request(`blobs/${digest}`, (chunk) => {
    hash.update(chunk);
    got += chunk.length;
    for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done);
  });
  if (got !== size || `sha256:${hash.digest('hex')}` !== digest) throw new Error(`bad ${digest}`);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, join(dir, digest.slice(7)));
}

mkdirSync(dir, { recursive: true });
const parts = [];
await request(`manifests/${tag}`, (chunk) => parts.push(chunk));
const manifest = JSON.parse(Buffer.concat(parts).toString('utf8'));
const queue = [manifest.config, ...manifest.layers];
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await blob(next);
  }),
);
agent.destroy();
