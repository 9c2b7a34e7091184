import { goCompact, goString, goTime, topLevelMembers } from './go-json';

describe('Go encoding/json, as dockerd marshals a legacy config', () => {
  it('compacts raw JSON and escapes HTML characters inside strings only', () => {
    expect(goCompact('{ "a" : [1, 2],\n "b": "x <y> & z" }')).toBe(
      '{"a":[1,2],"b":"x \\u003cy\\u003e \\u0026 z"}',
    );
    expect(goCompact('{"k": "a \\" b"}')).toBe('{"k":"a \\" b"}');
  });

  it('splits the top-level members, raw, the last of a repeated key winning', () => {
    const members = topLevelMembers(goCompact('{"b":{"x":[1,{"y":"}"}]},"a":"s,t","b":2}'));
    expect([...members]).toEqual([
      ['b', '2'],
      ['a', '"s,t"'],
    ]);
    expect(() => topLevelMembers('[1]')).toThrow();
  });

  it('encodes strings and times as Go does', () => {
    expect(goString('a&b')).toBe('"a\\u0026b"');
    expect(goTime('2015-06-01T10:00:00.120000000Z')).toBe('2015-06-01T10:00:00.12Z');
    expect(goTime('2015-06-01T10:05:00+00:00')).toBe('2015-06-01T10:05:00Z');
    expect(goTime('2015-06-01T10:05:00.5+02:00')).toBe('2015-06-01T10:05:00.5+02:00');
    expect(goTime(undefined)).toBe('0001-01-01T00:00:00Z');
  });
});
