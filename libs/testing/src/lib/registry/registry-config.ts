import { randomBytes } from 'node:crypto';

/** TokenAuthConfig is the `auth.token` section of a distribution config. */
export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  rootCertBundle: string;
}

/** RegistryConfigInput is what {@link renderRegistryConfig} needs to write a config. */
export interface RegistryConfigInput {
  port: number;
  storageRoot: string;
  htpasswdFile?: string;
  token?: TokenAuthConfig;
  proxyRemoteUrl?: string;
}

// JSON strings are valid YAML double-quoted scalars, so paths and URLs need no YAML escaping of their own.
const q = (s: string): string => JSON.stringify(s);

function authSection(input: RegistryConfigInput): string[] {
  if (input.htpasswdFile !== undefined) {
    return [
      'auth:',
      '  htpasswd:',
      '    realm: "Registry Realm"',
      `    path: ${q(input.htpasswdFile)}`,
    ];
  }
  const t = input.token;
  if (t === undefined) return [];
  return [
    'auth:',
    '  token:',
    `    realm: ${q(t.realm)}`,
    `    service: ${q(t.service)}`,
    `    issuer: ${q(t.issuer)}`,
    `    rootcertbundle: ${q(t.rootCertBundle)}`,
  ];
}

/**
 * renderRegistryConfig renders a distribution 2.x YAML config: filesystem storage with deletes
 * enabled, JSON logs with the access log on, loopback listener on `port`, the chosen auth, and
 * optionally the pull-through cache mode.
 */
export function renderRegistryConfig(input: RegistryConfigInput): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: json',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(input.storageRoot)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${q(`127.0.0.1:${input.port}`)}`,
    `  secret: ${q(randomBytes(24).toString('hex'))}`,
    ...authSection(input),
    ...(input.proxyRemoteUrl ? ['proxy:', `  remoteurl: ${q(input.proxyRemoteUrl)}`] : []),
    '',
  ].join('\n');
}
