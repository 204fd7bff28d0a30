export * from './compose';
export * from './text';
export * from './identifiers';
export * from './paging';
export * from './audit';
export * from './time-range';
export * from './no-input';
