import { Endpoint } from './endpoint';
import { mayCarryAuthorization } from './registry-http';

const endpoint: Endpoint = {
  registry: 'reg.example.com',
  origin: 'https://reg.example.com',
  credentialHost: 'reg.example.com',
  mirror: false,
};

describe('mayCarryAuthorization (redirects and upload Locations)', () => {
  it.each([
    ['https://reg.example.com/v2/app/blobs/sha256:x', true],
    ['https://storage.example.net/blob?sig=x', false],
    ['http://reg.example.com/v2/app/blobs/sha256:x', false],
    ['https://reg.example.com:8443/v2/', false],
    ['https://reg.example.com.evil.example/v2/', false],
  ])('%s → %s', (url, allowed) => {
    expect(mayCarryAuthorization(endpoint, new URL(url))).toBe(allowed);
  });
});
