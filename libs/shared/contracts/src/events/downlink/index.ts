export * from './command-queued.v1';
