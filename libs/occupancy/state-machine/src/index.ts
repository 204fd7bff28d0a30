export * from './reading-order';
export * from './space-machine';
export * from './silence';
