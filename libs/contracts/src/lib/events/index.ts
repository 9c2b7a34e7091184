export * from './engine-event';
