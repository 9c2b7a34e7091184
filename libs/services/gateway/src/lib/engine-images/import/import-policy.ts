import { DynamicModule, Module } from '@nestjs/common';

/** IMPORT_URL_ALLOWLIST is the token of the hosts `docker import <url>` may download from. */
export const IMPORT_URL_ALLOWLIST = Symbol('ImportUrlAllowlist');

/** ImportPolicyModule gives the gateway the config's `import-url-allowlist` (empty: URL imports refused). */
@Module({})
export class ImportPolicyModule {
  static forRoot(allowlist: readonly string[]): DynamicModule {
    return {
      module: ImportPolicyModule,
      global: true,
      providers: [{ provide: IMPORT_URL_ALLOWLIST, useValue: [...allowlist] }],
      exports: [IMPORT_URL_ALLOWLIST],
    };
  }
}
