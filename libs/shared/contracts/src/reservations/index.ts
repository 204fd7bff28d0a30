export * from './reservation-fields';
export * from './reservation-payloads';
export * from './availability-payloads';
export * from './reservations-rpc';
export * from './tariff-payloads';
export * from './site-rules-payloads';
export * from './tariff-requests';
