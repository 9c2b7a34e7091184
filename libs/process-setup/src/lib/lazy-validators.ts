import Module from 'node:module';

// class-validator's index loads every decorator it has, and with them libphonenumber-js's phone
// metadata and validator.js's hundred-odd checks: some 3 MB of heap in every service, which use a
// handful of those checks (length, pattern, UUID) and never a phone number. The apps load it
// with those libraries deferred (deferValidatorLibraries, in their preload): each loads on the
// first check that calls into it.

/** What class-validator requires of the libraries it only calls into while validating. */
const DEFERRED = /^(?:validator(?:\/lib\/[\w.-]+)?|libphonenumber-js\/max)$/;

/**
 * deferredModule stands in for the module `load` returns, loading it only when first called or
 * when one of its properties is read. It answers `__esModule` itself (undefined), so a TypeScript
 * default-import helper wraps it instead of reading it; a validator then calls through `.default`,
 * which is the stand-in, which calls the real module.
 */
export function deferredModule(load: () => unknown): unknown {
  let real: unknown;
  let loaded = false;
  const target = (): Record<PropertyKey, unknown> => {
    if (!loaded) {
      real = load();
      loaded = true;
    }
    return real as Record<PropertyKey, unknown>;
  };
  const callable = function deferred(): void {
    // Never runs: a Proxy can be called only if its target can, and `apply` handles every call.
  };
  return new Proxy(callable, {
    apply: (_fn, self, args: unknown[]) =>
      Reflect.apply(target() as unknown as (...a: unknown[]) => unknown, self, args),
    get: (_fn, key) => (key === '__esModule' ? undefined : target()[key]),
    has: (_fn, key) => key in target(),
  });
}

type Require = (this: Module, id: string) => unknown;

/**
 * deferValidatorLibraries loads class-validator while its requires of validator.js and
 * libphonenumber-js return deferred stand-ins, then puts `require` back: nothing else in the
 * process sees the difference. Call it in the preload, before anything imports class-validator;
 * later it changes nothing (the index is loaded once).
 */
export function deferValidatorLibraries(): void {
  const proto = Module.prototype as unknown as { require: Require };
  const real = proto.require;
  proto.require = function (this: Module, id: string) {
    if (!DEFERRED.test(id)) return real.call(this, id);
    return deferredModule(() => real.call(this, id));
  };
  try {
    require('class-validator');
  } finally {
    proto.require = real;
  }
}
