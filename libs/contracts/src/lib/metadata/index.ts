export * from './image-record';
export * from './image.messages';
export * from './content-lease.messages';
export * from './download.messages';
export * from './engine.messages';
export * from './repository-manifest.messages';
export * from './blob-link.messages';
