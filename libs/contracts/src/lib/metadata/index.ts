export * from './image-record';
export * from './image.messages';
