import { nextLink } from './link-header';
import { pageItems } from './paginate';

const request = new URL('https://r.example/v2/app/tags/list?n=2');

describe('nextLink (T11)', () => {
  it.each([
    {
      header: '</v2/app/tags/list?n=2&last=b>; rel="next"',
      next: 'https://r.example/v2/app/tags/list?n=2&last=b',
    },
    {
      header: '<https://r.example/v2/app/tags/list?last=b&n=2>; rel=next',
      next: 'https://r.example/v2/app/tags/list?last=b&n=2',
    },
    {
      header:
        '</v2/app/tags/list?n=2&last=b>; rel="prev", </v2/app/tags/list?n=2&last=d>; rel="next"',
      next: 'https://r.example/v2/app/tags/list?n=2&last=d',
    },
    {
      header: '</v2/app/tags/list?n=2&last=x,y>; rel="prev next"',
      next: 'https://r.example/v2/app/tags/list?n=2&last=x,y',
    },
    { header: undefined, next: undefined },
    { header: '</v2/app/tags/list?n=2&last=b>; rel="prev"', next: undefined },
  ])('$header → $next', ({ header, next }) => {
    expect(nextLink(header, request)?.href).toBe(next);
  });
});

describe('pageItems (T11)', () => {
  it('reads tags, treating null and a missing field as an empty page', () => {
    expect(pageItems({ name: 'app', tags: ['a', 'b'] }, 'tags')).toEqual(['a', 'b']);
    expect(pageItems({ name: 'app', tags: null }, 'tags')).toEqual([]);
    expect(pageItems({ name: 'app' }, 'tags')).toEqual([]);
  });

  it('rejects a field that is not a list of strings', () => {
    expect(() => pageItems({ tags: [1] }, 'tags')).toThrow(/invalid "tags" field/);
  });
});
