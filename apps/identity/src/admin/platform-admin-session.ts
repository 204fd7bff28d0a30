import { Principal } from '@parking/contracts';
import { IdentityDatabase, IdentityTransaction } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';

export interface AuditLabel {
  /** e.g. `tenant.suspend` */
  action: string;
  /** e.g. `tenant:<uuid>` */
  target: string | null;
}

/**
 * Runs `work` as a platform admin: one transaction that writes the audit row (who, why,
 * when; then what and to what), checks in the database that the actor really is a platform
 * admin, and only then does the work. A refusal rolls the audit row back with everything else.
 */
export function asPlatformAdmin<R>(
  db: IdentityDatabase,
  principal: Principal,
  reason: string,
  label: AuditLabel,
  work: (tx: IdentityTransaction) => Promise<R>,
): Promise<R> {
  if (!principal.isPlatformAdmin || principal.kind !== 'user' || !principal.userId) {
    throw new DomainError('FORBIDDEN', 'Only a platform admin may do this.');
  }
  const userId = principal.userId;
  return db.asPlatformAdmin(principal.actor, reason, async (tx) => {
    const admin = await tx.user.findUnique({ where: { id: userId }, select: { isPlatformAdmin: true } });
    if (!admin?.isPlatformAdmin) throw new DomainError('FORBIDDEN', 'Only a platform admin may do this.');
    // The row asPlatformAdmin just wrote, stamped with this transaction; the trigger lets it be labelled now only.
    await tx.$executeRawUnsafe(
      `UPDATE identity.platform_audit SET action = $1, target = $2
        WHERE id = (SELECT max(id) FROM identity.platform_audit WHERE xact_id = pg_current_xact_id() AND action IS NULL)`,
      label.action,
      label.target,
    );
    return work(tx);
  });
}
