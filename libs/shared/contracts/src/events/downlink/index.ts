export * from './command-queued.v1';
export * from './command-step';
export * from './command-sent.v1';
export * from './command-confirmed.v1';
export * from './command-failed.v1';
export * from './display-faulty.v1';
