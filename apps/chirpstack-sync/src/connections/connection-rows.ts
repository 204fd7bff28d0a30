import type { ConnectionView, DriftPolicy } from '@parking/contracts';
import type { ChirpStackConnectionTarget } from '../chirpstack/chirpstack-client';

/** A connection as the service reads it; `api_token_sealed` never leaves the service. */
export interface ConnectionRow {
  id: string;
  tenant_id: string;
  name: string;
  api_url: string;
  api_token_sealed: string;
  chirpstack_tenant_id: string;
  application_id: string;
  device_profiles: Record<string, string>;
  is_default: boolean;
  drift_policy: DriftPolicy;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const CONNECTION_COLUMNS = `id, tenant_id, name, api_url, api_token_sealed, chirpstack_tenant_id, application_id, device_profiles, is_default,
  drift_policy, version, created_at, updated_at`;

export function connectionView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id,
    name: row.name,
    apiUrl: row.api_url,
    chirpstackTenantId: row.chirpstack_tenant_id,
    applicationId: row.application_id,
    deviceProfiles: row.device_profiles,
    isDefault: row.is_default,
    driftPolicy: row.drift_policy,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A connection with its token opened, for a call to ChirpStack. */
export type OpenedConnection = ConnectionRow & { apiToken: string };

/** What the client pool needs of an opened connection (a new version gets a fresh client). */
export function callTargetOf(connection: OpenedConnection): ChirpStackConnectionTarget & { version: number } {
  return { id: connection.id, apiUrl: connection.api_url, apiToken: connection.apiToken, version: connection.version };
}
