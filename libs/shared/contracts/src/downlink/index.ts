export * from './display-wish';
export * from './signage-policy';
