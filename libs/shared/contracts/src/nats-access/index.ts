export * from './service-access';
export * from './platform-access';
export * from './nats-permissions';
export * from './nats-credentials';
export * from './render-authorization';
