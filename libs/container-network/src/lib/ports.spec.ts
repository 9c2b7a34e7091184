import { createServer } from 'node:net';
import { ephemeralRange, resolvePorts, validatePorts } from './ports';
import type { ResolvedPortBinding } from './types';

const ep = { name: 'web', id: 'e'.repeat(64) };
const prefix = `driver failed programming external connectivity on endpoint web (${'e'.repeat(64)}): `;
const held = (hostIp: string, hostPort: number): ResolvedPortBinding => ({
  containerPort: 80,
  protocol: 'tcp',
  hostIp,
  hostPort,
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('validatePorts', () => {
  it.each([
    [{ containerPort: 0, protocol: 'tcp', hostIp: '' }, 'invalid containerPort: 0'],
    [{ containerPort: 80, protocol: 'sctp', hostIp: '' }, 'invalid proto: sctp'],
    [
      { containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 70000 },
      'invalid hostPort: 70000',
    ],
    [
      { containerPort: 80, protocol: 'tcp', hostIp: '::1', hostPort: 80 },
      'is not supported (IPv4 only)',
    ],
  ])('refuses %j', (binding, message) => {
    expect(() => validatePorts([binding as never])).toThrow(message);
  });
});

describe('resolvePorts', () => {
  it('writes every address as 0.0.0.0, as NetworkSettings.Ports shows it', async () => {
    const port = await freePort();
    const [b] = await resolvePorts(
      [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: port }],
      [],
      ep,
    );
    expect(b).toEqual({ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: port });
  });

  it("answers dockerd's allocator text for a port we hold on the same address", async () => {
    await expect(
      resolvePorts(
        [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 8080 }],
        [held('0.0.0.0', 8080)],
        ep,
      ),
    ).rejects.toThrow(`${prefix}Bind for 0.0.0.0:8080 failed: port is already allocated`);
  });

  it('answers the userland proxy text when a held 0.0.0.0 binding overlaps a specific address', async () => {
    await expect(
      resolvePorts(
        [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 }],
        [held('0.0.0.0', 8080)],
        ep,
      ),
    ).rejects.toThrow(
      `${prefix}Error starting userland proxy: listen tcp4 127.0.0.1:8080: bind: address already in use`,
    );
  });

  it('lets tcp and udp share a number, and refuses the same binding twice in one request', async () => {
    const port = await freePort();
    const tcp = {
      containerPort: 53,
      protocol: 'tcp' as const,
      hostIp: '127.0.0.1',
      hostPort: port,
    };
    const both = await resolvePorts([tcp, { ...tcp, protocol: 'udp' }], [], ep);
    expect(both.map((b) => b.protocol)).toEqual(['tcp', 'udp']);
    await expect(resolvePorts([tcp, tcp], [], ep)).rejects.toThrow(
      `Bind for 127.0.0.1:${port} failed: port is already allocated`,
    );
  });

  it('picks the first free ephemeral port, skipping ports we hold', async () => {
    const [lo] = await ephemeralRange();
    const taken = [held('0.0.0.0', lo), held('0.0.0.0', lo + 1)];
    const [b] = await resolvePorts(
      [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1' }],
      taken,
      ep,
    );
    expect(b?.hostPort).toBeGreaterThan(lo + 1);
  });
});
