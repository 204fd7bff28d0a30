import { Inject, Injectable } from '@nestjs/common';
import { IntegrationSnapshotResponse } from '@parking/contracts';
import { IdentityDatabase, integrationSnapshot } from '@parking/identity/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { credentialsOf } from './integration-credentials';

/** Every integration's credentials, for the gateway's boot (system path, SECURITY DEFINER function). */
@Injectable()
export class IntegrationSnapshotUseCase {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IdentityDatabase) {}

  async execute(): Promise<IntegrationSnapshotResponse> {
    const takenAt = new Date().toISOString();
    const rows = await this.db.asSystem('integration-cache', (tx) => integrationSnapshot(tx));
    return { integrations: rows.map((row) => credentialsOf(row.id, row.tenant_id, row.enabled, row)), takenAt };
  }
}
