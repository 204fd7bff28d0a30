// The data-owning services, in migration order: each owns one schema and logs in as one
// runtime role. The gateway owns no data and is absent on purpose.
export interface ServiceSchema {
  readonly service: string;
  readonly schema: string;
  readonly role: string;
}

export const SERVICES: readonly ServiceSchema[] = Object.freeze([
  { service: 'identity', schema: 'identity', role: 'parking_identity' },
  { service: 'ingest', schema: 'ingest', role: 'parking_ingest' },
  { service: 'occupancy', schema: 'occupancy', role: 'parking_occupancy' },
  { service: 'reservations', schema: 'reservations', role: 'parking_reservations' },
  { service: 'downlink', schema: 'downlink', role: 'parking_downlink' },
  { service: 'chirpstack-sync', schema: 'chirpstack', role: 'parking_chirpstack_sync' },
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
