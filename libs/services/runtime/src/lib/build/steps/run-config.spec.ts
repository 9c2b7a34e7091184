import {
  cacheCmdOf,
  commandOf,
  copyComment,
  goDuration,
  goQuoteList,
  healthcheckComment,
  nopCmd,
  nopCmdString,
} from './run-config';

// Expected strings are what a real dockerd 20.10 (Debian's 20.10.24) recorded for the same steps.
describe('the Cmd a classic build step is cached and recorded under', () => {
  it('is a two-word nop for config steps and a one-word nop for COPY/ADD/WORKDIR', () => {
    expect(nopCmd({}, 'MAINTAINER Fisher "fisher@sudops.com"').join(' ')).toBe(
      '/bin/sh -c #(nop)  MAINTAINER Fisher "fisher@sudops.com"',
    );
    expect(nopCmdString({}, 'WORKDIR /w/k')).toEqual(['/bin/sh', '-c', '#(nop) WORKDIR /w/k']);
  });

  it('runs through the SHELL in force', () => {
    const config = { Shell: ['/bin/sh', '-ec'] };
    expect(nopCmd(config, 'STOPSIGNAL SIGINT').join(' ')).toBe(
      '/bin/sh -ec #(nop)  STOPSIGNAL SIGINT',
    );
    expect(commandOf(config, { json: false, text: 'echo $A $B' })).toEqual([
      '/bin/sh',
      '-ec',
      'echo $A $B',
    ]);
    expect(commandOf(config, { json: true, args: ['/bin/echo', 'x'] })).toEqual(['/bin/echo', 'x']);
  });

  it('puts the build args in force before a RUN, sorted and counted', () => {
    const cmd = ['/bin/sh', '-ec', 'echo $A $B'];
    expect(cacheCmdOf(cmd, ['B=bv', 'A=1']).join(' ')).toBe('|2 A=1 B=bv /bin/sh -ec echo $A $B');
    expect(cacheCmdOf(cmd, [])).toEqual(cmd);
  });

  it('names COPY sources by checksum, with dockerd’s spacing around --chown', () => {
    const sum = 'file:9cee15c74858cf3635cb493c2da8a07c8dc726dd5a52c4a5d77015e8af042253';
    expect(copyComment('COPY', undefined, sum, '/one')).toBe(`COPY ${sum} in /one `);
    expect(copyComment('COPY', '1:2', sum, '/y')).toBe(`COPY --chown=1:2${sum} in /y `);
    // A mode is part of the step: the same files copied with another --chmod miss the cache.
    expect(copyComment('COPY', undefined, sum, '/y', '750')).toBe(`COPY --chmod=750${sum} in /y `);
  });

  it('quotes CMD, ENTRYPOINT and HEALTHCHECK as Go’s %q', () => {
    expect(`CMD ${goQuoteList(['x\ty'])}`).toBe('CMD ["x\\ty"]');
    expect(goQuoteList(['/bin/sh', '-c', "/bin/sh -c 'echo hello'"])).toBe(
      `["/bin/sh" "-c" "/bin/sh -c 'echo hello'"]`,
    );
    expect(
      healthcheckComment({ Test: ['CMD-SHELL', 'echo "hi"'], Interval: 300e9, Retries: 3 }),
    ).toBe(`HEALTHCHECK &{["CMD-SHELL" "echo \\"hi\\""] "5m0s" "0s" "0s" '\\x03'}`);
  });

  it('writes durations as Go does', () => {
    expect([0, 1.5e9, 30e9, 300e6, 3600e9, 90e9].map(goDuration)).toEqual([
      '0s',
      '1.5s',
      '30s',
      '300ms',
      '1h0m0s',
      '1m30s',
    ]);
  });
});
