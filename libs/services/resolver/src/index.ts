export * from './lib/resolver-service.module';
