import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerNetworks } from './container-networks';

// host and none need no privileges; these run as any user.
describe('ContainerNetworks host and none modes', () => {
  let stateDir: string;
  let networks: ContainerNetworks;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'sdtr2-plain-'));
    networks = new ContainerNetworks({
      stateDir,
      bridge: 'sdtr2plain0',
      cniPath: '/nonexistent/cni',
    });
  });

  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('none: no namespace path (runc makes a fresh one), no address, and it survives a restart', async () => {
    const none = await networks.attach('c-none', { mode: 'none' });
    expect(none).toMatchObject({
      mode: 'none',
      ipAddress: '',
      ipPrefixLen: 0,
      gateway: '',
      macAddress: '',
    });
    expect(none.netnsPath).toBeUndefined();
    expect(none.ports).toEqual([]);
    await expect(new ContainerNetworks({ stateDir }).inspect('c-none')).resolves.toEqual(none);
    await new ContainerNetworks({ stateDir }).detach('c-none');
    await expect(networks.inspect('c-none')).resolves.toBeUndefined();
  });

  it('host: published ports are discarded, as dockerd does in host mode', async () => {
    const host = await networks.attach('c-host', {
      mode: 'host',
      ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 8080 }],
    });
    expect(host).toMatchObject({ mode: 'host', ipAddress: '', ports: [], bridge: '' });
    expect(host.netnsPath).toBeUndefined();
  });

  it('refuses to attach a container twice', async () => {
    await networks.attach('c-twice', { mode: 'none' });
    await expect(networks.attach('c-twice', { mode: 'host' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(networks.inspect('c-twice')).resolves.toMatchObject({ mode: 'none' });
  });

  it('bridge where the host cannot do it: UNSUPPORTED naming the cause, and nothing recorded', async () => {
    const pre = await networks.preflight();
    expect(pre.bridge).toBe(false);
    const reason = pre.bridge ? '' : pre.reason;
    // As root the missing plugins are the cause; as another user, root itself.
    expect(reason).toMatch(
      /CNI plugins missing from \/nonexistent\/cni: bridge, host-local|needs root/,
    );
    const attempt = networks.attach('c-bridge', { mode: 'bridge' });
    await expect(attempt).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(attempt).rejects.toThrow(`bridge networking is not available: ${reason}`);
    await expect(networks.inspect('c-bridge')).resolves.toBeUndefined();
    await expect(networks.attach('c-after', { mode: 'none' })).resolves.toMatchObject({
      mode: 'none',
    });
  });

  it('reconcile detaches only the containers that are gone', async () => {
    await networks.attach('c-live', { mode: 'none' });
    await networks.attach('c-gone', { mode: 'host' });
    await expect(networks.reconcile(['c-live'])).resolves.toEqual(['c-gone']);
    expect(await readdir(join(stateDir, 'containers'))).toEqual(['c-live.json']);
  });

  it('refuses container ids that would escape the state directory, and bad bridge names', async () => {
    await expect(networks.attach('../../etc/x', { mode: 'none' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(networks.detach('a/b')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => new ContainerNetworks({ stateDir, bridge: 'much-too-long-bridge' })).toThrow(
      'invalid bridge name',
    );
  });
});
