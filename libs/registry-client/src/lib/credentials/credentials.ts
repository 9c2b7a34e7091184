/**
 * RegistryCredentials are what a user holds for one registry. Any field may be absent; none of them
 * is ever written to a log or an error message.
 */
export interface RegistryCredentials {
  readonly username?: string;
  readonly password?: string;
  /** An OAuth refresh token (docker's `identitytoken`): exchanged with `grant_type=refresh_token`. */
  readonly identityToken?: string;
  /** A ready bearer token (docker's `registrytoken`): sent as is, no token server involved. */
  readonly registryToken?: string;
}

/**
 * CredentialsProvider finds the credentials for a registry host (`docker.io`, `127.0.0.1:5000`,
 * a mirror's `host:port`); it resolves undefined for anonymous access.
 */
export interface CredentialsProvider {
  get(registry: string): Promise<RegistryCredentials | undefined>;
}

/** hasCredentials tells whether `creds` carries anything usable (an all-empty object means anonymous). */
export function hasCredentials(
  creds: RegistryCredentials | undefined,
): creds is RegistryCredentials {
  return Boolean(
    creds && (creds.username || creds.password || creds.identityToken || creds.registryToken),
  );
}

/** staticCredentials serves a fixed map from registry host to credentials (hosts compared case-insensitively). */
export function staticCredentials(
  byRegistry: Readonly<Record<string, RegistryCredentials>>,
): CredentialsProvider {
  const map = new Map(Object.entries(byRegistry).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: async (registry) => map.get(registry.toLowerCase()) };
}

/** chainCredentials asks each provider in turn and returns the first usable answer. */
export function chainCredentials(
  ...providers: readonly CredentialsProvider[]
): CredentialsProvider {
  return {
    get: async (registry) => {
      for (const provider of providers) {
        const creds = await provider.get(registry);
        if (hasCredentials(creds)) return creds;
      }
      return undefined;
    },
  };
}
