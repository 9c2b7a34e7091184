import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppName, APPS, killAllApps, startApp } from './support/app-process';

const SECRET = 'Sup3r-Secret-Pw';
const EX_CONFIG = 78;
const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
// The internal endpoints' shared secret (metadata has none and ignores it).
const TOKEN = { STEVEDORE_INTERNAL_TOKEN: 'e2e-lifecycle-token-0123456789abcdef0123' };

// One bad variable per app that its config rejects, and the variable the message must name.
const BAD_CONFIG: Record<AppName, { env: Record<string, string>; variable: string }> = {
  gateway: { env: { STEVEDORE_LISTEN: 'nonsense' }, variable: 'STEVEDORE_LISTEN' },
  resolver: { env: { AMQP_URL: `http://stevedore:${SECRET}@x` }, variable: 'AMQP_URL' },
  fetcher: { env: { AMQP_URL: `http://stevedore:${SECRET}@x` }, variable: 'AMQP_URL' },
  blobstore: { env: { AMQP_URL: `http://stevedore:${SECRET}@x` }, variable: 'AMQP_URL' },
  metadata: { env: { AMQP_URL: `http://stevedore:${SECRET}@x` }, variable: 'AMQP_URL' },
  exporter: { env: { AMQP_URL: `http://stevedore:${SECRET}@x` }, variable: 'AMQP_URL' },
  runtime: { env: { AMQP_URL: `http://stevedore:${SECRET}@x` }, variable: 'AMQP_URL' },
};

describe('every app, as a real process', () => {
  let dataRoot: string;
  const namespace = `e2e-lifecycle-${process.pid}`;

  beforeAll(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'stevedore-e2e-data-'));
  });

  afterAll(async () => {
    await killAllApps();
    if (dataRoot !== undefined) await rm(dataRoot, { recursive: true, force: true });
  });

  function goodEnv(app: AppName): Record<string, string> {
    // The real broker (the services consume their queues now), in a namespace of this run's own.
    const common = { AMQP_URL, STEVEDORE_BUS_NAMESPACE: namespace, ...TOKEN };
    if (app === 'gateway')
      return {
        ...common,
        STEVEDORE_LISTEN: '127.0.0.1:0',
        STEVEDORE_REGISTRY_LISTEN: '127.0.0.1:0',
      };
    return { ...common, STEVEDORE_DATA_ROOT: dataRoot, STEVEDORE_INTERNAL_LISTEN: '127.0.0.1:0' };
  }

  it.each([...APPS])(
    '%s refuses a bad config with a clear message, exit 78 and no secret',
    async (app) => {
      const { env, variable } = BAD_CONFIG[app];
      const proc = startApp(app, { ...TOKEN, ...env, STEVEDORE_LOG_LEVEL: 'loud' });
      expect(await proc.waitForExit()).toEqual({ code: EX_CONFIG, signal: null });
      const lines = proc.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(`${app}: invalid configuration:`);
      expect(lines.slice(1).sort()).toEqual([
        expect.stringMatching(new RegExp(`^  ${variable}: must `)),
        '  STEVEDORE_LOG_LEVEL: must be one of error, warn, info, debug (got "loud")',
      ]);
      expect(proc.stderr + proc.stdout).not.toContain(SECRET);
      expect(proc.stdout).not.toContain('ready');
    },
  );

  it.each([...APPS])(
    '%s starts with a good config, logs ready and exits 0 on SIGTERM',
    async (app) => {
      const proc = startApp(app, goodEnv(app));
      await proc.waitForOutput(new RegExp(`\\[${app}\\] ${app} ready`));
      expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(proc.stdout).toContain(`${app} stopped on SIGTERM`);
      expect(proc.stderr).toBe('');
      expect(proc.stdout).not.toContain(SECRET);
      // Nest's bootstrap chatter stays out of an info-level log.
      expect(proc.stdout).not.toMatch(/InstanceLoader|RoutesResolver|RouterExplorer/);
    },
  );

  it.each(['gateway', 'resolver', 'fetcher', 'blobstore', 'exporter', 'runtime'] as const)(
    '%s refuses to start without STEVEDORE_INTERNAL_TOKEN (exit 78): its internal endpoints would be open',
    async (app) => {
      const { STEVEDORE_INTERNAL_TOKEN: _token, ...env } = goodEnv(app);
      const proc = startApp(app, env);
      expect(await proc.waitForExit()).toEqual({ code: EX_CONFIG, signal: null });
      expect(proc.stderr).toContain('STEVEDORE_INTERNAL_TOKEN: is required but not set');
      expect(proc.stdout).not.toContain('ready');
    },
  );

  it('a worker also exits 0 on SIGINT (Ctrl-C)', async () => {
    const proc = startApp('fetcher', goodEnv('fetcher'));
    await proc.waitForOutput(/fetcher ready/);
    expect(await proc.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(proc.stdout).toContain('fetcher stopped on SIGINT');
  });
});
