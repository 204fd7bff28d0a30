import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_TOKEN_SCHEME, API_KEY_SCHEME } from './api-docs.decorators';
import { PROBLEM_SCHEMA } from './problem.schema';

/** Every tag an operation uses, declared with what it groups (Spectral's operation-tag-defined). */
export const API_TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'auth', description: 'Sign-up, sign-in, token refresh and sign-out; the signing keys (JWKS)' },
  { name: 'users', description: "The tenant's users: invitations, roles, removal and password reset" },
  { name: 'api-keys', description: 'API keys with scopes, shown once, for machine clients' },
  { name: 'webhook-integrations', description: 'Credentials ChirpStack (or a V5-compatible sender) uses to push events' },
  { name: 'devices', description: 'The device registry: sensors and displays, their health, imports' },
  { name: 'sites', description: 'Sites and their zones and levels, live availability, imports, FIWARE and DATEX II views, the live event stream' },
  { name: 'spaces', description: 'Parking spaces: sensor assignment, maintenance, live state and history' },
  { name: 'reservations', description: 'Bookings of spaces under an Idempotency-Key, availability, quotes, booking statistics and revenue' },
  { name: 'tariffs', description: "Rate tables and each site's booking settings (tax, check-in, cancellation, rules)" },
  { name: 'signage', description: "Displays (bay lights and count signs) bound to spaces, zones and sites: what they show, policies, overrides, each frame's history, and the gateways' airtime against the duty-cycle budget" },
  { name: 'chirpstack', description: "ChirpStack connections (where each tenant's network server is, its API token sealed and never shown, where devices go, a test); each device's sync state and OTAA keys; reconciliation runs" },
  { name: 'gateways', description: "LoRa gateways of the tenant's sites: provisioned into ChirpStack, their health (online/offline) and statistics" },
  { name: 'statistics', description: 'Occupancy per hour, dwell time and turnover from rollups' },
  { name: 'platform-admin', description: 'Platform administration across tenants; every call is audited with its reason' },
];

/** The OpenAPI 3.1 description of the REST API (the feature `modules`), generated from their controllers and DTOs. */
export function describeApi(app: INestApplication, version: string, modules: Array<Type<unknown>>): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Parking platform API')
    .setDescription(
      'Smart-parking REST API. Authenticate with an access token (`Authorization: Bearer <jwt>`, from /api/v1/auth/login) ' +
        'or an API key (`X-API-Key: pk_…`, or `Authorization: Bearer pk_…`). Errors are RFC 9457 problem+json. ' +
        'Lists are cursor-paginated (`cursor`, `limit` ≤ 200). Unknown fields and query parameters are refused.',
    )
    .setVersion(version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'ES256 access token from /api/v1/auth/login' }, ACCESS_TOKEN_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key (pk_…) with scopes' }, API_KEY_SCHEME)
    // Relative: the document is served by the gateway it describes, whatever its address.
    .addServer('/', 'The gateway serving this document');
  for (const tag of API_TAGS) config.addTag(tag.name, tag.description);
  const built = config.build();
  const document = SwaggerModule.createDocument(app, built, { include: modules });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  return document;
}
