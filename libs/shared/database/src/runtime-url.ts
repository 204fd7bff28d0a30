import { serviceSchema } from './service-schemas';

/** The runtime roles' password: env DB_RUNTIME_PASSWORD, else the local default 'parking'. */
export function runtimePassword(): string {
  return process.env.DB_RUNTIME_PASSWORD || 'parking';
}

/** The admin URL rewritten to log in as the service's runtime role (same host and database). */
export function runtimeDatabaseUrl(adminUrl: string, service: string, password: string = runtimePassword()): string {
  const url = new URL(adminUrl);
  url.username = serviceSchema(service).role;
  url.password = password;
  return url.toString();
}
