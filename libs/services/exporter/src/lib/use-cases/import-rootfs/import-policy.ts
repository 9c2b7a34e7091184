/**
 * IMPORT_URL_ALLOWLIST is the token of the hosts `docker import <url>` may download from: the
 * configuration's `import-url-allowlist` (empty: URL imports refused), given to
 * ExporterServiceModule.forRoot by the composition root.
 */
export const IMPORT_URL_ALLOWLIST = Symbol('ImportUrlAllowlist');
