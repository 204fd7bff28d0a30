import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { IdentityDatabase, integrationSnapshot, IntegrationSnapshotRow } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { SecretBox, sealedFor } from '@parking/secret-box';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { IntegrationSecretBox } from '../crypto/secret-box.provider';
import { publishUpserted } from './integration-credentials';

/**
 * At start, seals again every webhook HMAC secret that is not sealed under the current
 * INTEGRATION_SECRETS_KEY: those of the previous release (under SECRETS_KEY, bound to nothing)
 * and those under INTEGRATION_SECRETS_KEY_PREVIOUS after a rotation of that key. Each changed
 * integration is announced (`identity.webhook_integration.upserted.v1`, next version) in the
 * same transaction, so the gateways take the new values. Replicas starting together are
 * harmless: each row is locked and checked again before it is changed.
 */
@Injectable()
export class ResealIntegrationSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResealIntegrationSecrets.name);

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly outbox: OutboxWriter,
    private readonly shared: IntegrationSecretBox,
    private readonly legacy: SecretBox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.db.asSystem('integration-cache', (tx) => integrationSnapshot(tx));
    let resealed = 0;
    for (const row of rows.filter((r) => this.isStale(r.hmac_secret_sealed, r.previous_hmac_sealed))) {
      try {
        if (await this.reseal(row)) resealed += 1;
      } catch (error) {
        // One unreadable secret (sealed under a key no longer configured) must not keep identity down.
        this.logger.error(`cannot re-seal the HMAC secret of webhook integration ${row.id}: ${(error as Error).message}`);
      }
    }
    if (resealed > 0) this.logger.log(`re-sealed ${resealed} webhook integration(s) under INTEGRATION_SECRETS_KEY`);
  }

  private isStale(current: string, previous: string | null): boolean {
    return !this.shared.isSealedUnderCurrentKey(current) || (previous !== null && !this.shared.isSealedUnderCurrentKey(previous));
  }

  private reseal(row: IntegrationSnapshotRow): Promise<boolean> {
    return this.db.withTenant(row.tenant_id, async (tx) => {
      await tx.$executeRawUnsafe('SELECT 1 FROM identity.webhook_integrations WHERE id = $1::uuid FOR UPDATE', row.id);
      const held = await tx.webhookIntegration.findUnique({ where: { id: row.id } });
      if (!held || !this.isStale(held.hmacSecretSealed, held.previousHmacSealed)) return false;
      const updated = await tx.webhookIntegration.update({
        where: { id: held.id },
        data: {
          hmacSecretSealed: this.sealAgain(held.id, held.hmacSecretSealed),
          previousHmacSealed: held.previousHmacSealed === null ? null : this.sealAgain(held.id, held.previousHmacSealed),
          version: { increment: 1 },
        },
      });
      const tenant = await tx.tenant.findUnique({ where: { id: held.tenantId }, select: { status: true } });
      await publishUpserted(this.outbox, tx, updated, tenant?.status === 'active');
      return true;
    });
  }

  /** Opens under whichever key sealed it (bound to the integration, or unbound as before the split) and seals it under the current key, bound. */
  private sealAgain(integrationId: string, sealed: string): string {
    const binding = sealedFor.webhookIntegration(integrationId);
    if (this.shared.isSealedUnderCurrentKey(sealed)) return sealed;
    const secret = this.shared.holdsKeyOf(sealed) ? this.shared.open(sealed, binding) : this.legacy.open(sealed);
    return this.shared.seal(secret, binding);
  }
}
