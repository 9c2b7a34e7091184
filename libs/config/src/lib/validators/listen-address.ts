import { isIPv4, isIPv6 } from 'node:net';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** ListenAddress is a parsed `host:port`; `host` has no brackets, ready for `server.listen(port, host)`. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const EXAMPLE = 'e.g. 127.0.0.1:2375 or [::1]:2375';
const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * listenAddressProblem returns why `value` is not a `host:port` listen address (IPv6 hosts in
 * brackets, port 0–65535, 0 meaning "any free port"), or undefined when it is one.
 */
export function listenAddressProblem(value: string): string | undefined {
  return splitListenAddress(value).problem;
}

/**
 * parseListenAddress parses a `host:port` listen address such as `127.0.0.1:2375` or `[::1]:0`
 * into its host and port, throwing an Error that says what is wrong otherwise.
 */
export function parseListenAddress(value: string): ListenAddress {
  const result = splitListenAddress(value);
  if (result.problem !== undefined || result.address === undefined) {
    throw new Error(`invalid listen address: ${result.problem ?? 'unknown problem'}`);
  }
  return result.address;
}

/** IsListenAddress validates a config property holding a `host:port` listen address (see {@link parseListenAddress}). */
export function IsListenAddress(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isListenAddress',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && listenAddressProblem(value) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `must be host:port (${EXAMPLE}): ${listenAddressProblem(args.value)}`
            : `must be host:port (${EXAMPLE})`,
      },
    });
}

interface SplitResult {
  readonly address?: ListenAddress;
  readonly problem?: string;
}

function splitListenAddress(value: string): SplitResult {
  if (value.includes('://')) return { problem: 'give host:port without a scheme' };
  const bracketed = value.startsWith('[');
  const separator = bracketed ? value.indexOf(']:') + 1 : value.lastIndexOf(':');
  if (separator < 0 || (bracketed && separator === 0)) {
    return {
      problem: bracketed
        ? 'an IPv6 address needs "]:port" after it'
        : 'the ":port" part is missing',
    };
  }
  const host = bracketed ? value.slice(1, separator - 1) : value.slice(0, separator);
  const hostProblem = bracketed ? ipv6Problem(host) : hostProblemOf(host);
  if (hostProblem !== undefined) return { problem: hostProblem };
  const portText = value.slice(separator + 1);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    return { problem: `port "${portText}" is not a number from 0 to 65535` };
  }
  return { address: { host, port: Number(portText) } };
}

function ipv6Problem(host: string): string | undefined {
  return isIPv6(host) ? undefined : `"${host}" is not an IPv6 address`;
}

function hostProblemOf(host: string): string | undefined {
  if (host === '') return 'the host is missing (use 0.0.0.0:PORT to listen on every interface)';
  if (host.includes(':')) return 'an IPv6 address must be written in brackets, e.g. [::1]:2375';
  if (/^[\d.]+$/.test(host)) return isIPv4(host) ? undefined : `"${host}" is not an IPv4 address`;
  const labels = host.split('.');
  const valid = host.length <= 253 && labels.every((label) => HOSTNAME_LABEL.test(label));
  return valid ? undefined : `"${host}" is not a valid host name or IP address`;
}
