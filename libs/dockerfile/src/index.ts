export type * from './lib/instructions';
