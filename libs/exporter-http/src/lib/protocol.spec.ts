import { importRequestOf, loadRequestOf, queryOf, saveRequestOf } from './protocol';

const url = (pathAndQuery: string) => new URL(pathAndQuery, 'http://exporter');

describe('the exporter protocol’s requests', () => {
  it('carry an import in the query string, `changes` repeated, absent fields left out', () => {
    const request = {
      fromSrc: '-',
      repo: 'app:1',
      message: 'a & b',
      changes: ['ENV A=1', 'CMD ["sh"]'],
      platform: undefined,
    };
    const query = queryOf(request);
    expect(query).toBe(
      '?fromSrc=-&repo=app%3A1&message=a+%26+b&changes=ENV+A%3D1&changes=CMD+%5B%22sh%22%5D',
    );
    const { platform: _none, ...expected } = request;
    expect({ ...importRequestOf(url(`/import${query}`)) }).toEqual(expected);
    expect({ ...importRequestOf(url('/import?fromSrc=-')) }).toEqual({ fromSrc: '-', changes: [] });
  });

  it('carry a load platform, or nothing', () => {
    expect(queryOf({})).toBe('');
    expect({ ...loadRequestOf(url('/load')) }).toEqual({});
    expect({ ...loadRequestOf(url(`/load${queryOf({ platform: 'linux/arm64/v8' })}`)) }).toEqual({
      platform: 'linux/arm64/v8',
    });
  });

  it('refuse what the message does not allow, as INVALID_ARGUMENT', () => {
    expect(() => importRequestOf(url('/import?repo=x'))).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/fromSrc/),
      }),
    );
    expect(() => loadRequestOf(url('/load?platform=a&platform=b'))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => loadRequestOf(url('/load?extra=1'))).toThrow(/property extra should not exist/);
    expect(() => saveRequestOf('{"names":[]}')).toThrow(/at least 1/);
    expect(() => saveRequestOf('[1]')).toThrow(/not a JSON object/);
    expect(() => saveRequestOf('{')).toThrow(/not JSON/);
    expect({ ...saveRequestOf('{"names":["app:1"]}') }).toEqual({ names: ['app:1'] });
  });
});
