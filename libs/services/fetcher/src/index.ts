export * from './lib/fetcher-service.module';
