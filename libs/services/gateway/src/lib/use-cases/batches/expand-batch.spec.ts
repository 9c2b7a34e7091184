import { batchSpecOf, selectTags } from './expand-batch';

describe('batch requests', () => {
  it('selects tags by include and exclude globs, keeping the registry order', () => {
    const tags = ['v1', '1.0', '1.1', '1.2', '2.0', 'dev', '1.10'];
    expect(selectTags(tags, ['1.*'], ['1.1'])).toEqual(['1.0', '1.2', '1.10']);
    expect(selectTags(tags, ['*'], ['dev', 'v?'])).toEqual(['1.0', '1.1', '1.2', '2.0', '1.10']);
    expect(selectTags(tags, ['1.[02]'], [])).toEqual(['1.0', '1.2']);
  });

  it('reads a sync spec, defaulting to every tag', () => {
    expect(
      batchSpecOf({ registry: 'registry.example:5000', repository: 'team/app' }),
    ).toMatchObject({
      kind: 'sync',
      include: ['*'],
      exclude: [],
    });
  });

  it.each([
    [{ images: ['a'], registry: 'r', repository: 'x' }, 'not both'],
    [{ images: [] }, 'must not be empty'],
    [{ registry: 'r' }, 'registry and repository'],
    [{ registry: 'r.example', repository: 'x:1' }, 'tag or digest'],
  ])('refuses %j', (body, message) => {
    expect(() => batchSpecOf(body)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('narrows by a semver range, reading v-prefixed tags as versions and skipping the rest', () => {
    const tags = [
      '1.0.0',
      'v1.4.2',
      '1.10.0',
      '2.0.0',
      'latest',
      '1.5.0-rc.1',
      '1.36',
      'build-1.3',
    ];
    expect(selectTags(tags, ['*'], [], '^1.2')).toEqual(['v1.4.2', '1.10.0', '1.36']);
    expect(selectTags(tags, ['*'], ['1.10*', '1.3*'], '>=1.0.0 <2')).toEqual(['1.0.0', 'v1.4.2']);
    expect(
      batchSpecOf({ registry: 'r.example', repository: 'x', tags: { semver: '~1.4' } }),
    ).toMatchObject({ semver: '~1.4' });
    expect(() =>
      batchSpecOf({ registry: 'r.example', repository: 'x', tags: { semver: 'not a range' } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
