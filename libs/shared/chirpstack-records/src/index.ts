export * from './chirpstack-records';
