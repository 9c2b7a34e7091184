import 'reflect-metadata';

const SENSITIVE_KEY = Symbol('stevedore:config:sensitive');

// Variables whose names say they hold a secret are redacted even when nobody remembered the marker.
const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|TOKEN|SECRET|CREDENTIALS?|API_KEY|PRIVATE_KEY|AUTH)$/i;

// `scheme://userinfo@rest`, taking the LAST '@' so that a malformed URL (an unescaped '@' or '/' in
// a password, or a forgotten scheme) is over-redacted rather than leaked.
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)?(.*)@/is;

/**
 * Sensitive marks a config property whose value must never be printed; validation errors then say
 * what is wrong with the variable without echoing it.
 */
export function Sensitive(): PropertyDecorator {
  return (target, propertyKey) => {
    const existing: ReadonlySet<string | symbol> =
      Reflect.getMetadata(SENSITIVE_KEY, target) ?? new Set();
    Reflect.defineMetadata(SENSITIVE_KEY, new Set([...existing, propertyKey]), target);
  };
}

/**
 * isSensitiveVariable tells whether the value of `variable` on config class `cls` is secret: it is
 * marked with {@link Sensitive} or its name ends in PASSWORD, TOKEN, SECRET, API_KEY and the like.
 */
export function isSensitiveVariable(cls: new () => object, variable: string): boolean {
  const marked: ReadonlySet<string | symbol> | undefined = Reflect.getMetadata(
    SENSITIVE_KEY,
    cls.prototype,
  );
  return (marked?.has(variable) ?? false) || SECRET_NAME.test(variable);
}

/**
 * redactUrlCredentials replaces the password of a `scheme://user:password@host` string with `***`
 * (the whole userinfo when there is no password, since a lone username may itself be a token) and
 * leaves anything else unchanged, so a broker URL can be shown without its secret.
 */
export function redactUrlCredentials(value: string): string {
  return value.replace(URL_USERINFO, (_match, scheme: string | undefined, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    const prefix = scheme ?? '';
    return colon < 0 ? `${prefix}***@` : `${prefix}${userinfo.slice(0, colon)}:***@`;
  });
}
