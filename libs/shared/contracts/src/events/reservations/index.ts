export * from './reservation-created.v1';
export * from './reservation-started.v1';
export * from './reservation-checked-in.v1';
export * from './reservation-extended.v1';
export * from './reservation-overstayed.v1';
export * from './reservation-ended.v1';
