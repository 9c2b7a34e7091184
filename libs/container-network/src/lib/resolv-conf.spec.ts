import { containerResolvConf, filterResolvDns, nameservers, usesResolvedStub } from './resolv-conf';

// Vectors from moby's libnetwork/resolvconf TestFilterResolvDNS (compared trimmed, as there).
const vectors: [string, string, boolean, string][] = [
  [
    'no localhost',
    'nameserver 10.16.60.14\nnameserver 10.16.60.21\n',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'localhost last',
    'nameserver 10.16.60.14\nnameserver 10.16.60.21\nnameserver 127.0.0.1\n',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'localhost middle',
    'nameserver 10.16.60.14\nnameserver 127.0.0.1\nnameserver 10.16.60.21\n',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'localhost first',
    'nameserver 127.0.1.1\nnameserver 10.16.60.14\nnameserver 10.16.60.21\n',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'IPv6 localhost',
    'nameserver ::1\nnameserver 10.16.60.14\nnameserver 127.0.2.1\nnameserver 10.16.60.21\n',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'two IPv6 localhosts',
    'nameserver 10.16.60.14\nnameserver ::1\nnameserver 10.16.60.21\nnameserver ::1',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'IPv6 disabled',
    'nameserver 10.16.60.14\nnameserver 2002:dead:beef::1\nnameserver 10.16.60.21\nnameserver ::1',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'IPv6 link-local disabled',
    'nameserver 10.16.60.14\nnameserver FE80::BB1%1\nnameserver FE80::BB1%eth0\nnameserver 10.16.60.21',
    false,
    'nameserver 10.16.60.14\nnameserver 10.16.60.21',
  ],
  [
    'IPv6 enabled',
    'nameserver 10.16.60.14\nnameserver 2002:dead:beef::1\nnameserver 10.16.60.21\nnameserver ::1\n',
    true,
    'nameserver 10.16.60.14\nnameserver 2002:dead:beef::1\nnameserver 10.16.60.21',
  ],
  [
    'localhost only, IPv6',
    'nameserver 127.0.0.1\nnameserver ::1\nnameserver 127.0.2.1',
    true,
    'nameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844',
  ],
  [
    'localhost only, no IPv6',
    'nameserver 127.0.0.1\nnameserver ::1\nnameserver 127.0.2.1',
    false,
    'nameserver 8.8.8.8\nnameserver 8.8.4.4',
  ],
];

describe('filterResolvDns (libnetwork FilterResolvDNS)', () => {
  it.each(vectors)('%s', (_name, input, ipv6, expected) => {
    expect(filterResolvDns(input, ipv6).trim()).toBe(expected);
  });
});

describe('containerResolvConf (default bridge and none: IPv6 off)', () => {
  it('keeps search and options, drops the systemd stub and falls back to Google only in the file', () => {
    const host =
      '# managed\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch example.internal\n';
    expect(containerResolvConf(host)).toBe(
      '# managed\noptions edns0 trust-ad\nsearch example.internal\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n',
    );
  });

  it('leaves a host file with a real nameserver as it is', () => {
    expect(containerResolvConf('nameserver 10.255.255.53\n')).toBe('nameserver 10.255.255.53\n');
  });
});

describe('nameservers and the systemd-resolved rule', () => {
  it('ignores comments and trailing comments', () => {
    expect(nameservers('search x\nnameserver 1.2.3.4 # not 4.3.2.1\n#nameserver 4.3.2.1')).toEqual([
      '1.2.3.4',
    ]);
  });

  it('reads the upstream file only when the stub is the single nameserver', () => {
    expect(usesResolvedStub('nameserver 127.0.0.53\noptions edns0\n')).toBe(true);
    expect(usesResolvedStub('nameserver 127.0.0.53\nnameserver 10.0.0.2\n')).toBe(false);
  });
});
