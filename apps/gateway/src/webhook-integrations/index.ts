export { IntegrationDirectory, type BearerCheck, type SignatureCheck } from './integration-directory';
export { IntegrationLookup, type IntegrationLookupKey } from './integration-lookup';
export { WebhookIntegrationsModule } from './webhook-integrations.module';
export { hmacKeyOf, hmacSha256, parseSignatureHeader, sameBytes } from './webhook-token';
