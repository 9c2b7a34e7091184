import { parseImagePath } from './image-path';

describe('parseImagePath', () => {
  it.each([
    ['/images/busybox/json', { name: 'busybox', action: 'json' }],
    ['/images/127.0.0.1:5000/x/y:1/history', { name: '127.0.0.1:5000/x/y:1', action: 'history' }],
    [
      `/images/busybox@sha256:${'a'.repeat(64)}/json`,
      { name: `busybox@sha256:${'a'.repeat(64)}`, action: 'json' },
    ],
    ['/images/busybox%3Alatest/json', { name: 'busybox:latest', action: 'json' }],
    ['/images/busybox:latest/push', { name: 'busybox:latest/push' }],
    ['/images/json/json', { name: 'json', action: 'json' }],
  ])('%s', (path, expected) => expect(parseImagePath(path, ['json', 'history'])).toEqual(expected));

  it('takes the whole rest as the name when no action is expected', () => {
    expect(parseImagePath('/images/a/b:c', [])).toEqual({ name: 'a/b:c' });
  });

  it('refuses an empty name', () => {
    expect(() => parseImagePath('/images//json', ['json'])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
