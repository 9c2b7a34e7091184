import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEtcFiles, type HostEtc } from './etc-files';

// Observed from dockerd 20.10.24 (`docker run --network none -h web --domainname example.org
// --add-host db:10.1.2.3`): the defaults, tab-separated, then --add-host records.
const DOCKER_DEFAULTS =
  '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n' +
  'ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

describe('writeEtcFiles', () => {
  let dir: string;
  let etc: HostEtc;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdtr2-etc-'));
    etc = {
      hosts: join(dir, 'host-hosts'),
      resolvConf: join(dir, 'host-resolv'),
      resolvedResolvConf: join(dir, 'resolved'),
    };
    await writeFile(etc.hosts, '127.0.0.1 localhost\n127.0.0.1 myhost\n');
    await writeFile(etc.resolvConf, 'nameserver 10.255.255.53\nsearch corp.example\n');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('bridge: defaults, --add-host records, then "<ip>\\t<fqdn> <short>" last', async () => {
    const paths = await writeEtcFiles(
      join(dir, 'ctr'),
      {
        mode: 'bridge',
        hostname: 'web',
        domainname: 'example.org',
        ipAddress: '172.30.0.2',
        extraHosts: ['db:10.1.2.3'],
      },
      etc,
    );
    expect(paths).toEqual({
      hostsPath: join(dir, 'ctr', 'hosts'),
      hostnamePath: join(dir, 'ctr', 'hostname'),
      resolvConfPath: join(dir, 'ctr', 'resolv.conf'),
    });
    expect(await readFile(paths.hostsPath, 'utf8')).toBe(
      `${DOCKER_DEFAULTS}10.1.2.3\tdb\n172.30.0.2\tweb.example.org web\n`,
    );
    expect(await readFile(paths.hostnamePath, 'utf8')).toBe('web\n');
    expect(await readFile(paths.resolvConfPath, 'utf8')).toBe(
      'nameserver 10.255.255.53\nsearch corp.example\n',
    );
    expect((await stat(paths.hostsPath)).mode & 0o777).toBe(0o644);
  });

  it('none: the same files as dockerd 20.10 writes, without an address line', async () => {
    const paths = await writeEtcFiles(
      join(dir, 'ctr'),
      { mode: 'none', hostname: 'web', domainname: 'example.org', extraHosts: ['db:10.1.2.3'] },
      etc,
    );
    expect(await readFile(paths.hostsPath, 'utf8')).toBe(`${DOCKER_DEFAULTS}10.1.2.3\tdb\n`);
    expect(await readFile(paths.hostnamePath, 'utf8')).toBe('web\n');
  });

  it('host: the host files as they are; with --add-host, libnetwork builds its own', async () => {
    await writeFile(etc.resolvConf, 'nameserver 127.0.0.53\n');
    const paths = await writeEtcFiles(join(dir, 'ctr'), { mode: 'host', hostname: 'myhost' }, etc);
    expect(await readFile(paths.hostsPath, 'utf8')).toBe('127.0.0.1 localhost\n127.0.0.1 myhost\n');
    // The host namespace can reach its own stub resolver, so nothing is filtered.
    expect(await readFile(paths.resolvConfPath, 'utf8')).toBe('nameserver 127.0.0.53\n');
    await writeEtcFiles(
      join(dir, 'ctr'),
      { mode: 'host', hostname: 'myhost', extraHosts: ['db:10.1.2.3'] },
      etc,
    );
    expect(await readFile(paths.hostsPath, 'utf8')).toBe(`${DOCKER_DEFAULTS}10.1.2.3\tdb\n`);
  });

  it('bridge: a host that only names systemd-resolved gets its upstream list, else Google in the file', async () => {
    await writeFile(etc.resolvConf, 'nameserver 127.0.0.53\noptions edns0\n');
    const ctr = join(dir, 'ctr');
    await writeEtcFiles(ctr, { mode: 'bridge', hostname: 'a', ipAddress: '172.30.0.3' }, etc);
    expect(await readFile(join(ctr, 'resolv.conf'), 'utf8')).toBe(
      'options edns0\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n',
    );
    await writeFile(etc.resolvedResolvConf, 'nameserver 10.9.8.7\n');
    await writeEtcFiles(ctr, { mode: 'bridge', hostname: 'a', ipAddress: '172.30.0.3' }, etc);
    expect(await readFile(join(ctr, 'resolv.conf'), 'utf8')).toBe('nameserver 10.9.8.7\n');
  });

  it('refuses a malformed --add-host or hostname and writes nothing', async () => {
    const ctr = join(dir, 'ctr');
    await expect(
      writeEtcFiles(ctr, { mode: 'bridge', hostname: 'a', extraHosts: ['db:not-an-ip'] }, etc),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(writeEtcFiles(ctr, { mode: 'none', hostname: 'a\nb' }, etc)).rejects.toMatchObject(
      {
        code: 'INVALID_ARGUMENT',
      },
    );
    await expect(stat(ctr)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
