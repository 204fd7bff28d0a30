// The data-owning services, in migration order: each owns one schema and logs in as one
// runtime role. The gateway owns no data and is absent on purpose.
export interface ServiceSchema {
  readonly service: string;
  readonly schema: string;
  readonly role: string;
  /**
   * NOLOGIN role the runtime role switches to for asPlatformAdmin: it holds the runtime role's
   * privileges, and only its statements carry the platform_admin policies.
   */
  readonly platformAdminRole: string;
}

const entry = (service: string, schema: string, role: string): ServiceSchema => ({ service, schema, role, platformAdminRole: `${role}_platform_admin` });

export const SERVICES: readonly ServiceSchema[] = Object.freeze([
  entry('identity', 'identity', 'parking_identity'),
  entry('ingest', 'ingest', 'parking_ingest'),
  entry('occupancy', 'occupancy', 'parking_occupancy'),
  entry('reservations', 'reservations', 'parking_reservations'),
  entry('downlink', 'downlink', 'parking_downlink'),
  entry('chirpstack-sync', 'chirpstack', 'parking_chirpstack_sync'),
]);

/** Owns every schema, table and function; migrations run as this role. */
export const OWNER_ROLE = 'parking_owner';

export function serviceSchema(serviceOrSchema: string): ServiceSchema {
  const found = SERVICES.find((s) => s.service === serviceOrSchema || s.schema === serviceOrSchema);
  if (!found) {
    throw new Error(`Unknown service or schema "${serviceOrSchema}"; known: ${SERVICES.map((s) => s.service).join(', ')}`);
  }
  return found;
}
