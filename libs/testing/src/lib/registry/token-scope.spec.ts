import { decodeBasic, formatScopes, parseScopes } from './token-scope';

describe('parseScopes', () => {
  it('parses repeated and space-joined scopes, splitting on the first and last colon', () => {
    expect(
      parseScopes([
        'repository:team/app:pull,push',
        'repository:localhost:5000/x:pull registry:catalog:*',
      ]),
    ).toEqual([
      { type: 'repository', name: 'team/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'localhost:5000/x', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
  });

  it('drops malformed scopes and unknown actions, and the deprecated (class) suffix', () => {
    expect(
      parseScopes([
        'garbage',
        'repository::pull',
        'repository(plugin):p:pull,fly',
        'repository:a:fly',
      ]),
    ).toEqual([{ type: 'repository', name: 'p', actions: ['pull'] }]);
  });

  it('formats access back into the OAuth scope field', () => {
    expect(formatScopes(parseScopes(['repository:a:pull,push registry:catalog:*']))).toBe(
      'repository:a:pull,push registry:catalog:*',
    );
  });
});

describe('decodeBasic', () => {
  it('splits at the first colon and rejects headers without a user', () => {
    expect(decodeBasic(`Basic ${Buffer.from('u:pa:ss').toString('base64')}`)).toEqual({
      username: 'u',
      password: 'pa:ss',
    });
    expect(decodeBasic(`Basic ${Buffer.from(':p').toString('base64')}`)).toBeUndefined();
    expect(decodeBasic('Bearer abc')).toBeUndefined();
    expect(decodeBasic(undefined)).toBeUndefined();
  });
});
