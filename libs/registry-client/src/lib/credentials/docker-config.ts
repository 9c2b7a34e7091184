import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@stevedore/domain';
import { decodeAuthField } from './basic-auth';
import { CredentialHelper, processCredentialHelper } from './credential-helper';
import { CredentialsProvider, RegistryCredentials, hasCredentials } from './credentials';
import { DOCKER_HUB_KEY, hostOfKey, isDockerHub, registryKey } from './server-key';

/** DockerAuthEntry is one `auths` entry of a docker `config.json`. */
export interface DockerAuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly registrytoken?: string;
}

/** DockerConfigFile is the part of docker's `config.json` that concerns credentials (§4.8). */
export interface DockerConfigFile {
  readonly auths?: Readonly<Record<string, DockerAuthEntry>>;
  readonly credsStore?: string;
  readonly credHelpers?: Readonly<Record<string, string>>;
}

/** entryCredentials decodes an `auths` entry: a non-empty `auth` wins over `username`/`password` (T14). */
export function entryCredentials(entry: DockerAuthEntry): RegistryCredentials {
  const fromAuth = entry.auth ? decodeAuthField(entry.auth) : undefined;
  const username = fromAuth?.username ?? entry.username;
  const password = fromAuth?.password ?? entry.password;
  return {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}),
    ...(entry.registrytoken ? { registryToken: entry.registrytoken } : {}),
  };
}

/** findAuthEntry finds the `auths` entry for a registry: the exact key first, then keys reduced to host[:port]. */
export function findAuthEntry(
  config: DockerConfigFile,
  registry: string,
): DockerAuthEntry | undefined {
  const auths = config.auths ?? {};
  const key = registryKey(registry);
  if (auths[key]) return auths[key];
  const matches = (stored: string): boolean =>
    key === DOCKER_HUB_KEY ? isDockerHub(stored) : hostOfKey(stored) === key;
  const found = Object.keys(auths).find(matches);
  return found === undefined ? undefined : auths[found];
}

function helperFor(config: DockerConfigFile, registry: string): string | undefined {
  const helpers = config.credHelpers ?? {};
  const key = registryKey(registry);
  const named = helpers[key] ?? Object.entries(helpers).find(([k]) => registryKey(k) === key)?.[1];
  return named ?? config.credsStore;
}

/**
 * dockerConfigCredentials serves credentials the way the docker CLI reads `config.json`:
 * `credHelpers[host]`, then `credsStore` (through `helper`), then the inline `auths` entry. Docker Hub
 * is looked up under `https://index.docker.io/v1/`.
 */
export function dockerConfigCredentials(
  config: DockerConfigFile,
  helper: CredentialHelper = processCredentialHelper(),
): CredentialsProvider {
  return {
    async get(registry) {
      const helperName = helperFor(config, registry);
      if (helperName) {
        const fromHelper = await helper.get(helperName, registryKey(registry));
        if (hasCredentials(fromHelper)) return fromHelper;
      }
      const entry = findAuthEntry(config, registry);
      return entry ? entryCredentials(entry) : undefined;
    },
  };
}

/**
 * loadDockerConfig reads `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`, or `path`);
 * a missing file is an empty config, unreadable JSON is INVALID_ARGUMENT.
 */
export async function loadDockerConfig(path?: string): Promise<DockerConfigFile> {
  const file =
    path ?? join(process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker'), 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return {};
    throw error;
  }
  try {
    return JSON.parse(text) as DockerConfigFile;
  } catch {
    throw DomainError.invalidArgument(`invalid docker config file ${file}: not JSON`);
  }
}
