import { parseContentRange, planResume } from './content-range';

describe('planResume (T13: resume at 1000 of a 5000-byte blob)', () => {
  it.each([
    { status: 206, range: 'bytes 1000-4999/5000', plan: { kind: 'append' } },
    { status: 200, range: undefined, plan: { kind: 'skip', bytes: 1000 } },
    {
      status: 206,
      range: 'bytes 0-4999/5000',
      plan: { kind: 'invalid', reason: 'Content-Range starts at 0, expected 1000' },
    },
    { status: 416, range: undefined, plan: { kind: 'restart' } },
    {
      status: 206,
      range: 'items 1-2',
      plan: { kind: 'invalid', reason: 'unreadable Content-Range "items 1-2"' },
    },
  ])('$status $range', ({ status, range, plan }) => {
    expect(planResume(status, range, 1000)).toEqual(plan);
  });

  it('streams a plain 200 from the start when nothing was received yet', () => {
    expect(planResume(200, undefined, 0)).toEqual({ kind: 'append' });
  });
});

describe('parseContentRange', () => {
  it('reads start, end and size (unknown size as *)', () => {
    expect(parseContentRange('bytes 1000-4999/5000')).toEqual({
      start: 1000,
      end: 4999,
      size: 5000,
    });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9 });
    expect(parseContentRange(undefined)).toBeUndefined();
  });
});
