export * from './reservation-started.v1';
export * from './reservation-ended.v1';
