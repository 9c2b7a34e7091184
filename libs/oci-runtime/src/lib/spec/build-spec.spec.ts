import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildSpec,
  cgroupCapabilities,
  resolveUser,
  type CgroupCapabilities,
  type ContainerSpecInput,
} from '../../index';

const allCgroups: CgroupCapabilities = {
  mode: 'v1',
  memory: true,
  swap: true,
  cpuQuota: true,
  cpuShares: true,
  pids: true,
};
const noCgroups: CgroupCapabilities = {
  ...allCgroups,
  mode: 'v2',
  memory: false,
  swap: false,
  pids: false,
};

describe('buildSpec', () => {
  let dir: string;
  let rootfs: string;
  const base = (): ContainerSpecInput => ({
    id: 'c1',
    rootfs,
    args: ['sh'],
    hostname: 'h1',
    network: { mode: 'none' },
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spec-'));
    rootfs = join(dir, 'rootfs');
    mkdirSync(join(rootfs, 'etc'), { recursive: true });
    writeFileSync(
      join(rootfs, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n',
    );
    writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\napp:x:1001:\nstaff:x:50:app,other\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes what dockerd 20.10 writes for a plain container', async () => {
    const spec = await buildSpec(base());
    expect(spec.process.env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=h1',
    ]);
    expect(spec.process.user).toEqual({ uid: 0, gid: 0, additionalGids: [0] });
    expect(spec.process.cwd).toBe('/');
    expect(spec.process.capabilities.bounding).toHaveLength(14);
    expect(spec.mounts.map((m) => m.destination)).toEqual([
      '/proc',
      '/dev',
      '/dev/pts',
      '/sys',
      '/sys/fs/cgroup',
      '/dev/mqueue',
      '/dev/shm',
    ]);
    expect(spec.linux.maskedPaths).toContain('/proc/kcore');
    expect(spec.linux.readonlyPaths).toContain('/proc/sys');
    expect(spec.linux.namespaces.map((n) => n.type)).toEqual([
      'mount',
      'network',
      'uts',
      'pid',
      'ipc',
    ]);
    expect(spec.linux.resources.memory).toBeUndefined();
  });

  it("renders Docker's default seccomp profile for the default capabilities", async () => {
    const sc = (await buildSpec(base())).linux.seccomp!;
    expect(sc.defaultAction).toBe('SCMP_ACT_ERRNO');
    const allowed = new Set(
      sc.syscalls.filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names),
    );
    for (const name of ['read', 'execve', 'chroot', 'ptrace', 'arch_prctl'])
      expect(allowed).toContain(name);
    for (const name of ['mount', 'unshare', 'reboot', 'bpf', 'setns'])
      expect(allowed).not.toContain(name);
    expect(sc.syscalls.find((r) => r.names.includes('clone3'))).toMatchObject({
      action: 'SCMP_ACT_ERRNO',
      errnoRet: 38,
    });
    expect(sc.syscalls.find((r) => r.names[0] === 'clone')?.args?.[0]?.op).toBe(
      'SCMP_CMP_MASKED_EQ',
    );
    const admin = (await buildSpec({ ...base(), capAdd: ['SYS_ADMIN'] })).linux.seccomp!;
    expect(admin.syscalls.some((r) => r.names.includes('mount') && !r.args)).toBe(true);
  });

  it('adds TERM with a TTY and lets image and user env override PATH in place', async () => {
    const spec = await buildSpec({ ...base(), tty: true, env: ['PATH=/x', 'A=1', 'A=2'] });
    expect(spec.process.env).toEqual(['PATH=/x', 'HOSTNAME=h1', 'TERM=xterm', 'A=2']);
  });

  it('resolves users and groups from the container root', async () => {
    expect(await resolveUser(rootfs, 'app')).toMatchObject({
      uid: 1000,
      gid: 1001,
      additionalGids: [1001, 50],
    });
    expect(await resolveUser(rootfs, '1000:staff')).toMatchObject({ uid: 1000, gid: 50 });
    expect(await resolveUser(rootfs, '4242:4343')).toMatchObject({ uid: 4242, gid: 4343 });
    await expect(buildSpec({ ...base(), user: 'nobody' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'unable to find user nobody: no matching entries in passwd file',
    });
  });

  it('never reads a passwd file outside the root through a symlink', async () => {
    const evil = join(dir, 'evil');
    mkdirSync(join(evil, 'rootfs/etc'), { recursive: true });
    mkdirSync(join(evil, 'outside'));
    writeFileSync(join(evil, 'outside/passwd'), 'host:x:4242:4242::/:/bin/sh\n');
    symlinkSync('../../outside/passwd', join(evil, 'rootfs/etc/passwd'));
    symlinkSync(join(evil, 'outside/passwd'), join(evil, 'rootfs/etc/group'));
    await expect(resolveUser(join(evil, 'rootfs'), 'host')).rejects.toMatchObject({
      message: 'unable to find user host: no matching entries in passwd file',
    });
    writeFileSync(join(evil, 'rootfs/outside'), 'not a dir');
    await expect(resolveUser(join(evil, 'rootfs'), 'host')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('applies cap-add and cap-drop, with or without CAP_, and refuses unknown ones', async () => {
    const spec = await buildSpec({
      ...base(),
      capAdd: ['net_admin'],
      capDrop: ['CAP_CHOWN', 'mknod'],
    });
    expect(spec.process.capabilities.bounding).toContain('CAP_NET_ADMIN');
    expect(spec.process.capabilities.bounding).not.toContain('CAP_CHOWN');
    expect(spec.process.capabilities.bounding).not.toContain('CAP_MKNOD');
    expect(
      (await buildSpec({ ...base(), capDrop: ['ALL'], capAdd: ['KILL'] })).process.capabilities
        .bounding,
    ).toEqual(['CAP_KILL']);
    await expect(buildSpec({ ...base(), capAdd: ['FOO'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'invalid CapAdd: unknown capability: "CAP_FOO"',
    });
  });

  it('drops confinement when privileged', async () => {
    const spec = await buildSpec({ ...base(), privileged: true });
    expect(spec.linux.maskedPaths).toEqual([]);
    expect(spec.linux.readonlyPaths).toEqual([]);
    expect(spec.linux.seccomp).toBeUndefined();
    expect(spec.process.capabilities.bounding).toContain('CAP_SYS_ADMIN');
  });

  it('maps binds, /etc files, network modes and labels', async () => {
    const spec = await buildSpec({
      ...base(),
      mounts: [{ source: '/srv/data', destination: '/data', readonly: true }],
      etcFiles: { hosts: '/x/hosts', resolvConf: '/x/resolv.conf' },
      labels: { a: 'b' },
      network: { mode: 'path', path: '/run/netns/n1' },
    });
    expect(spec.mounts.find((m) => m.destination === '/data')).toEqual({
      destination: '/data',
      type: 'bind',
      source: '/srv/data',
      options: ['rbind', 'rprivate', 'ro'],
    });
    expect(spec.mounts.find((m) => m.destination === '/etc/hosts')?.source).toBe('/x/hosts');
    expect(spec.linux.namespaces).toContainEqual({ type: 'network', path: '/run/netns/n1' });
    expect(spec.annotations).toEqual({ a: 'b' });
    const host = await buildSpec({ ...base(), network: { mode: 'host' } });
    expect(host.linux.namespaces.map((n) => n.type)).not.toContain('network');
    await expect(
      buildSpec({ ...base(), mounts: [{ source: 'rel', destination: '/d', readonly: false }] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('sets limits the cgroups can enforce and refuses the others with UNSUPPORTED', async () => {
    const spec = await buildSpec(
      { ...base(), resources: { memory: 1 << 26, nanoCpus: 1.5e9, pidsLimit: 10 } },
      { cgroups: allCgroups },
    );
    expect(spec.linux.resources).toMatchObject({
      memory: { limit: 1 << 26 },
      cpu: { quota: 150000, period: 100000 },
      pids: { limit: 10 },
    });
    await expect(
      buildSpec({ ...base(), resources: { memory: 1 << 26 } }, { cgroups: noCgroups }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining(
        'a memory limit cannot be enforced on this host (cgroup v2)',
      ),
    });
  });

  it('detects the host cgroups as runc sees them', () => {
    const caps = cgroupCapabilities();
    if (process.getuid?.() !== 0) expect(caps.mode).toBe('none');
    else expect(['v1', 'v2']).toContain(caps.mode);
  });
});
