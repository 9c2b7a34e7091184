import { humanDuration } from './human-duration';
import { statusText } from './container-status';
import { commandText, toContainerSummary } from './container-summary';
import { containerInspectForVersion, streamContentType } from './container-versions';
import { containerJson } from './container-fixture';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (go-units HumanDuration, what docker ps prints)', () => {
  it.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [1 * S, '1 second'],
    [59 * S + 999, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [2 * M, '2 minutes'],
    [59 * M, '59 minutes'],
    [60 * M, 'About an hour'],
    [89 * M, 'About an hour'],
    [90 * M, '2 hours'],
    [47 * H, '47 hours'],
    [48 * H, '2 days'],
    [13 * D, '13 days'],
    [14 * D, '2 weeks'],
    [59 * D, '8 weeks'],
    [60 * D, '2 months'],
    [729 * D, '24 months'],
    [730 * D, '2 years'],
  ])('%d ms → %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe('statusText (dockerd State.String, the STATUS column)', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('says Created for a container never started', () => {
    expect(statusText(containerJson().State, now)).toBe('Created');
  });
  it('says how long a running container is up, and that it is paused', () => {
    const running = {
      Status: 'running' as const,
      Running: true,
      StartedAt: '2026-01-01T11:59:55Z',
    };
    expect(statusText(containerJson({ State: running }).State, now)).toBe('Up 5 seconds');
    const paused = { ...running, Status: 'paused' as const, Paused: true };
    expect(statusText(containerJson({ State: paused }).State, now)).toBe('Up 5 seconds (Paused)');
  });
  it('says the exit code and how long ago it exited', () => {
    const exited = {
      Status: 'exited' as const,
      ExitCode: 0,
      StartedAt: '2026-01-01T11:00:00Z',
      FinishedAt: '2026-01-01T11:59:43Z',
    };
    expect(statusText(containerJson({ State: exited }).State, now)).toBe(
      'Exited (0) 17 seconds ago',
    );
    const failed = { ...exited, ExitCode: 127, FinishedAt: '2026-01-01T11:00:00Z' };
    expect(statusText(containerJson({ State: failed }).State, now)).toBe(
      'Exited (127) About an hour ago',
    );
  });
  it('says Dead and Removal In Progress', () => {
    const started = { StartedAt: '2026-01-01T11:00:00Z', FinishedAt: '2026-01-01T11:00:01Z' };
    expect(
      statusText(containerJson({ State: { ...started, Dead: true, Status: 'dead' } }).State, now),
    ).toBe('Dead');
    expect(
      statusText(containerJson({ State: { ...started, Status: 'removing' } }).State, now),
    ).toBe('Removal In Progress');
  });
});

describe('toContainerSummary (a docker ps row)', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('carries what docker ps shows: /name, image as created, quoted command, unix Created', () => {
    const c = containerJson({ Path: 'sh', Args: ['-c', 'echo hi'] });
    const row = toContainerSummary(c, { now, size: false, imageNow: c.Image });
    expect(row).toMatchObject({
      Id: c.Id,
      Names: ['/happy_turing'],
      Image: 'busybox',
      ImageID: c.Image,
      Command: "sh -c 'echo hi'",
      Created: Date.parse('2026-01-01T10:00:00Z') / 1000,
      State: 'created',
      Status: 'Created',
      HostConfig: { NetworkMode: 'bridge' },
      Ports: [],
      Labels: {},
    });
    expect(row).not.toHaveProperty('SizeRw');
  });
  it('shows the image ID once the name points at another image (dockerd)', () => {
    const c = containerJson();
    expect(toContainerSummary(c, { now, size: false, imageNow: 'sha256:other' }).Image).toBe(
      c.Image,
    );
    expect(toContainerSummary(c, { now, size: false }).Image).toBe(c.Image);
  });
  it('lists published and exposed ports, and sizes when asked', () => {
    const c = containerJson({
      NetworkSettings: {
        Ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': null },
      },
      SizeRw: 12,
      SizeRootFs: 4096,
    });
    const row = toContainerSummary(c, { now, size: true });
    expect(row.Ports).toEqual([
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 53, Type: 'udp' },
    ]);
    expect([row.SizeRw, row.SizeRootFs]).toEqual([12, 4096]);
  });
  it('words the command without arguments as the path alone', () => {
    expect(commandText('/bin/sh', [])).toBe('/bin/sh');
  });
});

describe('container answers per API version', () => {
  it('keeps Config.MacAddress below 1.44 only, and sizes only when asked, after GraphDriver', () => {
    const c = containerJson({ SizeRw: 1, SizeRootFs: 2 });
    expect(containerInspectForVersion(c, '1.43', false).Config['MacAddress']).toBe(
      '02:42:ac:11:00:02',
    );
    const now = containerInspectForVersion(c, '1.50', false);
    expect(now.Config).not.toHaveProperty('MacAddress');
    expect(now).not.toHaveProperty('SizeRw');
    const sized = Object.keys(containerInspectForVersion(c, '1.50', true));
    expect(sized.slice(sized.indexOf('GraphDriver'), sized.indexOf('GraphDriver') + 4)).toEqual([
      'GraphDriver',
      'SizeRw',
      'SizeRootFs',
      'Mounts',
    ]);
  });
  it('multiplexes a non-TTY stream from 1.42, never a TTY one', () => {
    expect(streamContentType(false, '1.50')).toBe('application/vnd.docker.multiplexed-stream');
    expect(streamContentType(false, '1.41')).toBe('application/vnd.docker.raw-stream');
    expect(streamContentType(true, '1.50')).toBe('application/vnd.docker.raw-stream');
  });
});
