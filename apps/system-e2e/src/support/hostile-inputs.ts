import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The generator of the hostile-input suite's files, in Python (its tarfile writes exactly what it
 * is told): a root filesystem tar and an OCI image archive, each whole and cut mid-member (plain
 * and gzip), and an OCI archive whose index.json names its one manifest 5,000 times.
 */
const SCRIPT = `
import gzip, hashlib, io, json, os, sys, tarfile
out = sys.argv[1]
def sha(b): return 'sha256:' + hashlib.sha256(b).hexdigest()
def tar_of(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as t:
        for name, data in members:
            info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    return buf.getvalue()
def write(name, data):
    with open(os.path.join(out, name), 'wb') as f: f.write(data)
rootfs = tar_of([('etc/hostname', b'hostile\\n'), ('big', os.urandom(400000))])
write('rootfs.tar', rootfs)
write('rootfs-cut.tar', rootfs[:len(rootfs) // 2])
write('rootfs-cut.tar.gz', gzip.compress(rootfs)[:len(rootfs) // 2])
layer_tar = tar_of([('hello.txt', b'hello\\n'), ('big', os.urandom(400000))])
layer = gzip.compress(layer_tar, mtime=0)
config = json.dumps({'architecture': 'amd64', 'os': 'linux', 'config': {},
    'rootfs': {'type': 'layers', 'diff_ids': [sha(layer_tar)]}}).encode()
manifest = json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
    'config': {'mediaType': 'application/vnd.oci.image.config.v1+json', 'digest': sha(config), 'size': len(config)},
    'layers': [{'mediaType': 'application/vnd.oci.image.layer.v1.tar+gzip', 'digest': sha(layer), 'size': len(layer)}]}).encode()
def archive(names):
    entries = [{'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': sha(manifest),
        'size': len(manifest), 'annotations': {'io.containerd.image.name': n, 'org.opencontainers.image.ref.name': n.split(':')[-1]}}
        for n in names]
    index = json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.index.v1+json', 'manifests': entries}).encode()
    blobs = [('blobs/sha256/' + sha(b)[7:], b) for b in (config, manifest, layer)]
    return tar_of([('oci-layout', b'{"imageLayoutVersion":"1.0.0"}'), ('index.json', index)] + blobs)
whole = archive(['docker.io/library/hostile:1'])
write('archive-cut.tar', whole[:len(whole) - 200000])
write('archive-cut.tar.gz', gzip.compress(whole)[:len(whole) // 2])
write('index-5000.tar', archive(['docker.io/library/hostile:t%d' % i for i in range(5000)]))
`;

/** writeHostileInputs writes the suite's files into `dir` (see SCRIPT for what each is). */
export async function writeHostileInputs(dir: string): Promise<void> {
  await run('python3', ['-c', SCRIPT, dir]);
}

/** nestedJson is a JSON document nested `depth` levels deep (`{"a":{"a":…1…}}`). */
export function nestedJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
