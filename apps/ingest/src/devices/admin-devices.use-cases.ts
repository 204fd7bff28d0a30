import { Inject, Injectable } from '@nestjs/common';
import { AdminDeviceStatsResponse, AdminDeviceView, LOW_BATTERY_DEFAULT_PERCENT, Page, Principal } from '@parking/contracts';
import { IngestDatabase, Prisma } from '@parking/ingest/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { requirePlatformAdmin } from '@parking/service-runtime';
import { DeviceQuery, onlineSql, queryDevices } from './device-query';
import { deviceView } from './device-view';

/** The device pool across tenants, for platform admins only; every call leaves an audit row with its reason. */
@Injectable()
export class AdminDevicesUseCases {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IngestDatabase) {}

  async list(principal: Principal, reason: string, query: Pick<DeviceQuery, 'tenantId' | 'codec' | 'kind' | 'cursor' | 'limit'>): Promise<Page<AdminDeviceView>> {
    requirePlatformAdmin(principal);
    return this.db.asPlatformAdmin(principal.actor, reason, async (tx) => {
      const page = await queryDevices(tx, query);
      const now = new Date();
      return { items: page.items.map((device) => ({ tenantId: device.tenantId, ...deviceView(device, now) })), nextCursor: page.nextCursor };
    });
  }

  async stats(principal: Principal, reason: string): Promise<AdminDeviceStatsResponse> {
    requirePlatformAdmin(principal);
    return this.db.asPlatformAdmin(principal.actor, reason, async (tx) => {
      const low = Prisma.sql`(d.battery_percent < ${LOW_BATTERY_DEFAULT_PERCENT}::real)`;
      const tenants = await tx.$queryRaw<Array<{ tenant_id: string; devices: number; online: number; low_battery: number }>>(Prisma.sql`
        SELECT d.tenant_id::text AS tenant_id, count(*)::int AS devices,
               (count(*) FILTER (WHERE ${onlineSql()}))::int AS online,
               (count(*) FILTER (WHERE ${low}))::int AS low_battery
          FROM ingest.devices d
         GROUP BY d.tenant_id
         ORDER BY count(*) DESC, d.tenant_id`);
      const codecs = await tx.device.groupBy({ by: ['codec'], _count: { _all: true }, orderBy: { codec: 'asc' } });
      const kinds = await tx.device.groupBy({ by: ['kind'], _count: { _all: true }, orderBy: { kind: 'asc' } });
      const byTenant = tenants.map((t) => ({ tenantId: t.tenant_id, devices: t.devices, online: t.online, offline: t.devices - t.online, lowBattery: t.low_battery }));
      const sum = (pick: (t: (typeof byTenant)[number]) => number) => byTenant.reduce((total, t) => total + pick(t), 0);
      return {
        total: sum((t) => t.devices),
        online: sum((t) => t.online),
        offline: sum((t) => t.offline),
        lowBattery: sum((t) => t.lowBattery),
        byTenant,
        byCodec: Object.fromEntries(codecs.map((c) => [c.codec, c._count._all])),
        byKind: Object.fromEntries(kinds.map((k) => [k.kind, k._count._all])),
      };
    });
  }
}
