import type { ChildProcess } from 'node:child_process';
import { access, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { run } from './exec';
import { ContainerNetworks } from './container-networks';
import type { ContainerNetworksOptions, NetworkAttachment } from './types';
import {
  fetchLine,
  freeLoopbackPort,
  holdPort,
  inNetns,
  iptablesRules,
  serveInNetns,
  stopServer,
} from '../test/netns-tools';

const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? describe : describe.skip;
// Our own bridge and a /24 of our subnet, so parallel suites and a host dockerd are not touched.
const BRIDGE = 'sdtr2test0';
const SUBNET = '172.30.200.0/24';
const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

rootOnly(`ContainerNetworks bridge mode${asRoot ? '' : ' (skipped: not root)'}`, () => {
  let options: ContainerNetworksOptions;
  let netnsDir: string;
  let networks: ContainerNetworks;
  const servers: ChildProcess[] = [];
  const ids = [
    'r2-web',
    'r2-eph',
    'r2-dup',
    'r2-busy',
    'r2-again',
    'r2-bad',
    'r2-crash',
    'r2-fail',
  ];

  beforeAll(async () => {
    netnsDir = await mkdtemp(join(tmpdir(), 'sdtr2-netns-'));
    options = {
      stateDir: await mkdtemp(join(tmpdir(), 'sdtr2-state-')),
      ipamDir: await mkdtemp(join(tmpdir(), 'sdtr2-ipam-')),
      netnsDir,
      bridge: BRIDGE,
      subnet: SUBNET,
    };
    networks = new ContainerNetworks(options);
  });

  afterAll(async () => {
    for (const s of servers) await stopServer(s);
    for (const id of ids) await networks.detach(id).catch(() => undefined);
    // Belt and braces: nothing of ours may outlive the suite, even after a failed assertion.
    for (const name of await readdir(netnsDir).catch(() => [] as string[])) {
      await run('umount', [join(netnsDir, name)]);
    }
    await run('ip', ['link', 'del', BRIDGE]);
    await rm(netnsDir, { recursive: true, force: true });
    await rm(options.stateDir, { recursive: true, force: true });
    await rm(options.ipamDir ?? '', { recursive: true, force: true });
  });

  it('passes its preflight on this host', async () => {
    await expect(networks.preflight()).resolves.toEqual({ bridge: true });
  });

  let web: NetworkAttachment;
  let webPort: number;

  it('publishes a server inside the namespace on 127.0.0.1:<hostPort>', async () => {
    webPort = await freeLoopbackPort();
    web = await networks.attach('r2-web', {
      mode: 'bridge',
      ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: webPort }],
    });
    expect(web).toMatchObject({
      mode: 'bridge',
      ipPrefixLen: 24,
      gateway: '172.30.200.1',
      bridge: BRIDGE,
    });
    expect(web.ipAddress).toMatch(/^172\.30\.200\.\d+$/);
    expect(web.macAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(web.endpointId).toMatch(/^[0-9a-f]{64}$/);
    expect(web.ports).toEqual([
      { containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: webPort },
    ]);
    expect(web.netnsPath).toBe(join(netnsDir, 'stevedore-r2-web'));
    servers.push(await serveInNetns(web.netnsPath ?? '', 80, 'hello from r2-web'));
    await expect(fetchLine('127.0.0.1', webPort)).resolves.toBe('hello from r2-web');
  });

  it('lets the container reach its gateway and its own loopback', async () => {
    const ping = await inNetns(web.netnsPath ?? '', [
      'busybox',
      'ping',
      '-c',
      '1',
      '-W',
      '2',
      web.gateway,
    ]);
    expect(ping.stderr).toBe('');
    expect(ping.ok).toBe(true);
    const local = await inNetns(web.netnsPath ?? '', ['busybox', 'nc', '127.0.0.1', '80']);
    expect(local.stdout.trim()).toBe('hello from r2-web');
  });

  it('gives a second container another address and picks an ephemeral host port for port 0', async () => {
    const eph = await networks.attach('r2-eph', {
      mode: 'bridge',
      ports: [{ containerPort: 8080, protocol: 'tcp', hostIp: '' }],
    });
    expect(eph.ipAddress).not.toBe(web.ipAddress);
    const [port] = eph.ports;
    const [lo, hi] = (await run('cat', ['/proc/sys/net/ipv4/ip_local_port_range'])).stdout
      .trim()
      .split(/\s+/);
    expect(port?.hostIp).toBe('0.0.0.0');
    expect(port?.hostPort).toBeGreaterThanOrEqual(Number(lo));
    expect(port?.hostPort).toBeLessThanOrEqual(Number(hi));
    servers.push(await serveInNetns(eph.netnsPath ?? '', 8080, 'hello from r2-eph'));
    await expect(fetchLine('127.0.0.1', port?.hostPort ?? 0)).resolves.toBe('hello from r2-eph');
  });

  it("refuses a host port another container holds with dockerd's message, leaving nothing", async () => {
    const attempt = networks.attach('r2-dup', {
      mode: 'bridge',
      name: 'dup-name',
      ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: webPort }],
    });
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `^driver failed programming external connectivity on endpoint dup-name \\([0-9a-f]{64}\\): ` +
          `Bind for 127\\.0\\.0\\.1:${webPort} failed: port is already allocated$`,
      ),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await networks.inspect('r2-dup')).toBeUndefined();
    expect(await exists(join(netnsDir, 'stevedore-r2-dup'))).toBe(false);
  });

  it('refuses a host port a foreign program listens on, as the userland proxy would', async () => {
    const port = await freeLoopbackPort();
    const squatter = await holdPort(port);
    try {
      // The endpoint name defaults to the container id.
      await expect(
        networks.attach('r2-busy', { mode: 'bridge', ports: [tcp80(port)] }),
      ).rejects.toThrow(
        new RegExp(
          `^driver failed programming external connectivity on endpoint r2-busy \\([0-9a-f]{64}\\): ` +
            `Error starting userland proxy: listen tcp4 127\\.0\\.0\\.1:${port}: bind: address already in use$`,
        ),
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    expect(await networks.inspect('r2-busy')).toBeUndefined();
  });

  it('keeps attachments across a restart, and detach there frees the address and the port', async () => {
    const restarted = new ContainerNetworks(options);
    await expect(restarted.inspect('r2-web')).resolves.toEqual(web);
    await restarted.detach('r2-web');
    await restarted.detach('r2-web'); // idempotent
    expect(await restarted.inspect('r2-web')).toBeUndefined();
    expect(await exists(web.netnsPath ?? '')).toBe(false);
    expect(await exists(join(options.ipamDir ?? '', BRIDGE, web.ipAddress))).toBe(false);
    expect(await iptablesRules()).not.toContain(`--dport ${webPort} `);
    await expect(fetchLine('127.0.0.1', webPort, 2000)).rejects.toThrow();
    const again = await restarted.attach('r2-again', {
      mode: 'bridge',
      ports: [tcp80(webPort, '127.0.0.1')],
    });
    expect(again.ports[0]?.hostPort).toBe(webPort);
    await restarted.detach('r2-again');
  });

  it('detach after a crash mid-attach (record still pending, no CNI result) undoes everything', async () => {
    const port = await freeLoopbackPort();
    const crash = await networks.attach('r2-crash', { mode: 'bridge', ports: [tcp80(port)] });
    const file = join(options.stateDir, 'containers', 'r2-crash.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as {
      state: string;
      cni: { result?: unknown };
    };
    await writeFile(
      file,
      JSON.stringify({ ...record, state: 'pending', cni: { ...record.cni, result: undefined } }),
    );
    await new ContainerNetworks(options).detach('r2-crash');
    expect(await exists(crash.netnsPath ?? '')).toBe(false);
    expect(await exists(join(options.ipamDir ?? '', BRIDGE, crash.ipAddress))).toBe(false);
    const rules = await iptablesRules();
    expect(rules).not.toContain(`--dport ${port} `);
    expect(rules).not.toContain(`${crash.ipAddress}/32`);
  });

  it("writes the container's hosts file with its bridge address", async () => {
    const eph = await networks.inspect('r2-eph');
    const dir = join(options.stateDir, 'ctr-eph');
    const paths = await networks.hostsFiles(dir, {
      mode: 'bridge',
      hostname: 'r2-eph',
      ipAddress: eph?.ipAddress,
    });
    expect(await readFile(paths.hostsPath, 'utf8')).toMatch(
      new RegExp(`\\n${eph?.ipAddress}\\tr2-eph\\n$`),
    );
    expect(await readFile(paths.hostnamePath, 'utf8')).toBe('r2-eph\n');
  });

  it('undoes a half-done attach when a plugin fails: no namespace, lease, rule or record is left', async () => {
    // The real plugins, except a firewall that refuses, so ADD fails after bridge and portmap ran.
    const cniPath = await mkdtemp(join(tmpdir(), 'sdtr2-cni-'));
    for (const p of ['bridge', 'host-local', 'portmap', 'loopback'])
      await symlink(`/usr/lib/cni/${p}`, join(cniPath, p));
    await writeFile(
      join(cniPath, 'firewall'),
      '#!/bin/sh\necho \'{"code":100,"msg":"refused by test"}\'\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    const port = await freeLoopbackPort();
    const failing = new ContainerNetworks({ ...options, cniPath });
    const attempt = failing.attach('r2-fail', { mode: 'bridge', ports: [tcp80(port)] });
    await expect(attempt).rejects.toThrow('CNI plugin firewall ADD failed: refused by test');
    await expect(attempt).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await failing.inspect('r2-fail')).toBeUndefined();
    expect(await exists(join(netnsDir, 'stevedore-r2-fail'))).toBe(false);
    const leases = await readdir(join(options.ipamDir ?? '', BRIDGE));
    const owners = await Promise.all(
      leases.map((l) => readFile(join(options.ipamDir ?? '', BRIDGE, l), 'utf8')),
    );
    expect(owners.filter((o) => o.startsWith('r2-fail'))).toEqual([]);
    expect(await iptablesRules()).not.toContain(`--dport ${port} `);
    await rm(cniPath, { recursive: true, force: true });
  });

  it('refuses bad input before creating anything', async () => {
    await expect(networks.attach('../escape', { mode: 'bridge' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      networks.attach('r2-bad', {
        mode: 'bridge',
        ports: [{ containerPort: 0, protocol: 'tcp', hostIp: '' }],
      }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await networks.inspect('r2-bad')).toBeUndefined();
  });

  it('reconcile detaches records of containers that are gone and leaves no rules behind', async () => {
    await expect(networks.reconcile([])).resolves.toEqual(['r2-eph']);
    expect(await readdir(netnsDir)).toEqual([]);
    const rules = await iptablesRules();
    expect(rules).not.toContain('r2-');
    expect(rules).not.toContain('172.30.200.');
  });
});

function tcp80(hostPort: number, hostIp = '127.0.0.1') {
  return { containerPort: 80, protocol: 'tcp' as const, hostIp, hostPort };
}
