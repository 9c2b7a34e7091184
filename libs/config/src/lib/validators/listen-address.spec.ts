import { listenAddressProblem, parseListenAddress } from './listen-address';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:2375', '127.0.0.1', 2375],
    ['0.0.0.0:0', '0.0.0.0', 0],
    ['localhost:65535', 'localhost', 65535],
    ['gateway.internal:8080', 'gateway.internal', 8080],
    ['[::1]:2375', '::1', 2375],
    ['[fe80::1]:80', 'fe80::1', 80],
  ])('parses %s', (value, host, port) => expect(parseListenAddress(value)).toEqual({ host, port }));

  it.each([
    ['nonsense', /":port" part is missing/],
    ['127.0.0.1', /":port" part is missing/],
    ['127.0.0.1:65536', /port "65536" is not a number from 0 to 65535/],
    ['127.0.0.1:-1', /port "-1"/],
    ['127.0.0.1:http', /port "http"/],
    ['127.0.0.1:', /port ""/],
    [':2375', /host is missing/],
    ['::1:2375', /IPv6 address must be written in brackets/],
    ['[::1]', /needs "\]:port"/],
    ['[not-ipv6]:80', /"not-ipv6" is not an IPv6 address/],
    ['300.1.1.1:80', /"300.1.1.1" is not an IPv4 address/],
    ['bad_host:80', /"bad_host" is not a valid host name/],
    ['tcp://127.0.0.1:2375', /without a scheme/],
  ])('rejects %s', (value, reason) => {
    expect(listenAddressProblem(value)).toMatch(reason);
    expect(() => parseListenAddress(value)).toThrow(reason);
  });
});
