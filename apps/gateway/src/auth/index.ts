export * from './access-endings';
export * from './access-requirements';
export * from './current-principal.decorator';
export * from './auth.module';
export * from './jwks-key-store';
export * from './api-key-authenticator';
export * from './presented-credential';
