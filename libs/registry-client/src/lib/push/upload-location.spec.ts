import { parseUploadRange, resolveLocation, withDigestParam } from './upload-location';

const D = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';
const ENC = 'sha256%3A5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';
const requestUrl = new URL('https://reg.example.com/v2/team/app/blobs/uploads/');

describe('upload Location handling (T12)', () => {
  it.each([
    {
      location: '/v2/team/app/blobs/uploads/5f1c?_state=AbC',
      put: `https://reg.example.com/v2/team/app/blobs/uploads/5f1c?_state=AbC&digest=${ENC}`,
    },
    {
      location: 'https://storage.example.net/upload/5f1c?sig=x',
      put: `https://storage.example.net/upload/5f1c?sig=x&digest=${ENC}`,
    },
    {
      location: 'http://reg.example.com:5000/v2/team/app/blobs/uploads/5f1c',
      put: `http://reg.example.com:5000/v2/team/app/blobs/uploads/5f1c?digest=${ENC}`,
    },
  ])('$location', ({ location, put }) => {
    expect(withDigestParam(resolveLocation(location, requestUrl), D).href).toBe(put);
  });

  it('leaves a signed query exactly as the registry wrote it', () => {
    const signed = 'https://storage.example.net/u?X-Sig=a%2Fb%3D&_state=x.y~z';
    expect(withDigestParam(new URL(signed), D).href).toBe(`${signed}&digest=${ENC}`);
  });
});

describe('parseUploadRange (T13)', () => {
  it.each([
    { range: '0-4999', next: 5000 },
    { range: 'bytes=0-4999', next: 5000 },
    { range: '0-0', next: 0 },
    { range: undefined, next: 0 },
  ])('$range → next chunk at $next', ({ range, next }) => {
    expect(parseUploadRange(range)).toBe(next);
  });
});
