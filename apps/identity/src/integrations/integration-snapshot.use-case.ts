import { Inject, Injectable } from '@nestjs/common';
import { IntegrationLookupResponse, IntegrationSnapshotResponse } from '@parking/contracts';
import { IdentityDatabase, integrationLookup, integrationSnapshot } from '@parking/identity/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { credentialsOf } from './integration-credentials';

/** Integrations' credentials for the gateway's in-memory directory (system path, SECURITY DEFINER functions). */
@Injectable()
export class IntegrationSnapshotUseCase {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IdentityDatabase) {}

  /** Every integration's credentials, for the gateway's boot. */
  async execute(): Promise<IntegrationSnapshotResponse> {
    const takenAt = new Date().toISOString();
    const rows = await this.db.asSystem('integration-cache', (tx) => integrationSnapshot(tx));
    return { integrations: rows.map((row) => credentialsOf(row.id, row.tenant_id, row.enabled, row)), takenAt };
  }

  /**
   * One integration, by its current token's prefix or its id, with its version: for a gateway
   * that has not heard of it yet. It applies the answer as it would the upserted event.
   */
  async lookup(by: { tokenPrefix?: string; integrationId?: string }): Promise<IntegrationLookupResponse> {
    const row = await this.db.asSystem('integration-cache', (tx) => integrationLookup(tx, by));
    return { integration: row ? { ...credentialsOf(row.id, row.tenant_id, row.enabled, row), version: row.version } : null };
  }
}
