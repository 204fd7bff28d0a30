export { IntegrationDirectory, type BearerCheck, type SignatureCheck } from './integration-directory';
export { WebhookIntegrationsModule } from './webhook-integrations.module';
