import type { ContainerJsonV1, ContainerStateV1 } from '@stevedore/contracts';

const ZERO = '0001-01-01T00:00:00Z';

const CREATED_STATE: ContainerStateV1 = {
  Status: 'created',
  Running: false,
  Paused: false,
  Restarting: false,
  OOMKilled: false,
  Dead: false,
  Pid: 0,
  ExitCode: 0,
  Error: '',
  StartedAt: ZERO,
  FinishedAt: ZERO,
};

/** containerJson builds an inspect answer as the runtime gives it, with what a test overrides. */
export function containerJson(
  over: Partial<Omit<ContainerJsonV1, 'State'>> & { State?: Partial<ContainerStateV1> } = {},
): ContainerJsonV1 {
  const { State, ...rest } = over;
  return {
    Id: 'f0767e2e8964' + 'a'.repeat(52),
    Created: '2026-01-01T10:00:00.000000000Z',
    Path: 'sh',
    Args: [],
    State: { ...CREATED_STATE, ...State },
    Image: 'sha256:' + '1c35c4412082'.padEnd(64, '0'),
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: '',
    Name: '/happy_turing',
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: { NetworkMode: 'bridge' },
    GraphDriver: { Name: 'overlay2', Data: null },
    Mounts: [],
    Config: { Image: 'busybox', Cmd: ['sh'], Labels: {} },
    NetworkSettings: {
      Networks: { bridge: { NetworkID: 'n1', MacAddress: '02:42:ac:11:00:02' } },
      Ports: {},
    },
    ...rest,
  };
}
