import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_TOKEN_SCHEME, API_KEY_SCHEME } from './api-docs.decorators';
import { PROBLEM_SCHEMA } from './problem.schema';

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
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: modules });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  return document;
}
