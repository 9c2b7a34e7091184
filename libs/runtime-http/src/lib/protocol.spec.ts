import {
  attachOptionsOf,
  containerPath,
  execStartPath,
  logsOptionsOf,
  putArchiveOptionsOf,
  queryOf,
  routeOf,
  statHeaderOf,
  statOf,
} from './protocol';

const url = (pathAndQuery: string) => new URL(pathAndQuery, 'http://runtime');

describe('the runtime protocol’s requests', () => {
  it('round-trip attach, exec, logs and put options through the query string', () => {
    const attach = { stream: true, logs: false, stdin: true, stdout: true, stderr: false };
    expect(attachOptionsOf(url(`/x${queryOf({ ...attach, detachKeys: 'ctrl-x' })}`))).toEqual({
      ...attach,
      detachKeys: 'ctrl-x',
    });
    const logs = {
      follow: true,
      stdout: true,
      stderr: false,
      since: 1700000000.5,
      until: 0,
      timestamps: true,
      tail: '10',
    };
    expect(logsOptionsOf(url(`/x${queryOf(logs)}`))).toEqual(logs);
    const put = { path: '/a b&c', noOverwriteDirNonDir: false, copyUIDGID: true };
    expect(putArchiveOptionsOf(url(`/x${queryOf(put)}`))).toEqual(put);
  });

  it('name containers and execs in the path, encoded, and read them back', () => {
    expect(routeOf(containerPath('web/1?', 'logs'))).toEqual({ kind: 'logs', id: 'web/1?' });
    expect(routeOf(execStartPath('e'.repeat(64)))).toEqual({ kind: 'exec', id: 'e'.repeat(64) });
    expect(routeOf('/containers/c1/commit')).toBeUndefined();
    expect(routeOf('/images/json')).toBeUndefined();
  });

  it('refuse malformed values as INVALID_ARGUMENT', () => {
    expect(() => logsOptionsOf(url('/x?tail=lots'))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => logsOptionsOf(url('/x?since=-1'))).toThrow(/unix seconds/);
    expect(() => attachOptionsOf(url('/x?stdin=true'))).toThrow(/stdin must be 1 or 0/);
    expect(() => putArchiveOptionsOf(url('/x'))).toThrow(/path is required/);
  });

  it('carry a path stat as Docker’s base64 header', () => {
    const stat = { name: 'f', size: 3, mode: 420, mtime: '2024-01-01T00:00:00Z', linkTarget: '' };
    expect(JSON.parse(Buffer.from(statHeaderOf(stat), 'base64').toString())).toEqual(stat);
    expect(statOf(statHeaderOf(stat))).toEqual(stat);
  });
});
