import { Inject, Injectable } from '@nestjs/common';
import { IntegrationRejection } from '@parking/contracts';
import { IdentityDatabase, Prisma } from '@parking/identity/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';

export interface DeliveryReport {
  integrationId: string;
  tenantId: string;
  lastReceivedAt?: Date;
  rejections: IntegrationRejection[];
}

const KEPT_REJECTIONS = 20;

/** Folds the gateway's delivery counters into the integration row (unknown ids are ignored). */
@Injectable()
export class RecordDeliveriesUseCase {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IdentityDatabase) {}

  async execute(reports: DeliveryReport[]): Promise<void> {
    for (const report of reports) {
      await this.db.withTenant(report.tenantId, async (tx) => {
        const row = await tx.webhookIntegration.findUnique({ where: { id: report.integrationId } });
        if (!row) return;
        const latest = [...report.rejections].sort((a, b) => b.at.localeCompare(a.at));
        const kept = [...latest, ...(row.lastRejections as unknown as IntegrationRejection[])].slice(0, KEPT_REJECTIONS);
        const received = report.lastReceivedAt && (!row.lastReceivedAt || report.lastReceivedAt > row.lastReceivedAt) ? report.lastReceivedAt : row.lastReceivedAt;
        await tx.webhookIntegration.update({
          where: { id: row.id },
          data: {
            lastReceivedAt: received,
            rejectedCount: { increment: report.rejections.length },
            lastRejections: kept as unknown as Prisma.InputJsonValue,
          },
        });
      });
    }
  }
}
