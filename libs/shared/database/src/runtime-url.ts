import { serviceSchema } from './service-schemas';

/**
 * The admin URL rewritten to log in as the service's runtime role (same host and database)
 * with that role's own password; without one (a trust-auth server) the URL carries none.
 */
export function runtimeDatabaseUrl(adminUrl: string, service: string, password?: string): string {
  const url = new URL(adminUrl);
  url.username = serviceSchema(service).role;
  // The setter leaves `%` as it is; encoding first keeps any password intact.
  url.password = encodeURIComponent(password ?? '');
  return url.toString();
}
