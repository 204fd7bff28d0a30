import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import { DEVICE_IMPORT_MAX_BYTES } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import type { FastifyInstance } from 'fastify';

const IMPORT_ROUTE = 'parkingDeviceImport';

/** Marks the import route: it takes text/csv and a larger body than the other REST routes. */
export const IMPORT_ROUTE_CONFIG = (): MethodDecorator => RouteConfig({ [IMPORT_ROUTE]: true });

/**
 * Teaches Fastify text/csv (as a string) and gives the import routes (devices, sites) their own
 * body limit. Runs when the provider is created, which is before Nest registers its routes, so
 * the onRoute hook sees the import routes. The parser itself has no limit of its own: a CSV body
 * sent to any other route is held to BODY_LIMIT_BYTES like JSON (and then fails its DTO
 * validation), never read up to the import limit.
 */
@Injectable()
export class ImportBodySupport {
  constructor(adapterHost: HttpAdapterHost) {
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    fastify.addHook('onRoute', (route) => {
      if ((route.config as Record<string, unknown> | undefined)?.[IMPORT_ROUTE]) route.bodyLimit = DEVICE_IMPORT_MAX_BYTES;
    });
  }
}

/** The format of an import body by its Content-Type (parameters ignored); anything else is a 415. */
export function importFormatOf(contentType: string | undefined): 'csv' | 'json' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the import as text/csv (a header row first) or application/json.');
}
