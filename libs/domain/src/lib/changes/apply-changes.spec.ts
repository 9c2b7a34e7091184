import { applyChanges } from './apply-changes';

describe('applyChanges (docker import/commit --change)', () => {
  it('applies each instruction as Docker does', () => {
    const config = applyChanges({}, [
      'CMD ["sh"]',
      'ENV A=1 B="two words"',
      'ENV PATH /usr/bin',
      'EXPOSE 80 53/udp 8000-8001',
      'LABEL team=infra "with space"=yes',
      'USER app:app',
      'VOLUME ["/data"]',
      'VOLUME /cache /tmp/x',
      'WORKDIR /srv',
      'WORKDIR app/$A',
      'ONBUILD RUN make',
      'STOPSIGNAL SIGTERM',
    ]);
    expect(config).toEqual({
      Cmd: ['sh'],
      Env: ['A=1', 'B=two words', 'PATH=/usr/bin'],
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} },
      Labels: { team: 'infra', 'with space': 'yes' },
      User: 'app:app',
      Volumes: { '/data': {}, '/cache': {}, '/tmp/x': {} },
      WorkingDir: '/srv/app/1',
      OnBuild: ['RUN make'],
      StopSignal: 'SIGTERM',
    });
  });

  it('uses the shell form for non-JSON commands, and a new ENTRYPOINT resets an inherited CMD', () => {
    expect(applyChanges({ Cmd: ['old'] }, ['ENTRYPOINT /run.sh --fast'])).toEqual({
      Entrypoint: ['/bin/sh', '-c', '/run.sh --fast'],
    });
    expect(applyChanges({}, ['CMD ["x"]', 'ENTRYPOINT ["e"]'])).toEqual({
      Cmd: ['x'],
      Entrypoint: ['e'],
    });
  });

  it('replaces an existing ENV key in place and leaves the input untouched', () => {
    const base = { Env: ['A=1', 'B=2'] };
    expect(applyChanges(base, ['ENV A=3'])).toEqual({ Env: ['A=3', 'B=2'] });
    expect(base.Env).toEqual(['A=1', 'B=2']);
  });

  it.each([
    ['RUN make', 'run is not a valid change command'],
    ['FROM busybox', 'from is not a valid change command'],
    ['EXPOSE 99999', 'invalid port range'],
    ['ONBUILD FROM x', "isn't allowed as an ONBUILD trigger"],
    ['VOLUME [""]', 'can not be an empty string'],
    ['ENV =x', "must be followed by '='"],
  ])('refuses %s', (line, message) => {
    expect(() => applyChanges({}, [line])).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('expands a 10000-port EXPOSE range, and thousands of ENV/LABEL/VOLUME words, in linear time', () => {
    const many = Array.from({ length: 4000 }, (_, i) => `k${i}=${i}`).join(' ');
    const paths = Array.from({ length: 4000 }, (_, i) => `/v${i}`).join(' ');
    const started = performance.now();
    const config = applyChanges({}, [
      'EXPOSE 1-10000 1-10000/udp',
      `ENV ${many}`,
      `LABEL ${many}`,
      `VOLUME ${paths}`,
    ]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(Object.keys(config.ExposedPorts ?? {})).toHaveLength(20000);
    expect(config.Env).toHaveLength(4000);
    expect(Object.keys(config.Labels ?? {})).toHaveLength(4000);
    expect(Object.keys(config.Volumes ?? {})).toHaveLength(4000);
  });

  it('refuses an EXPOSE range of more than 10000 ports before expanding it', () => {
    expect(() => applyChanges({}, ['EXPOSE 1-65535'])).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: 'invalid port range: 1-65535: at most 10000 ports per range',
      }),
    );
  });
});
