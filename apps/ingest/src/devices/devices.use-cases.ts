import { InjectConfig } from '@parking/config';
import { Optional, Inject, Injectable } from '@nestjs/common';
import { type PlanId, DeviceView, IngestEvents, Page, Principal } from '@parking/contracts';
import { Device, IngestDatabase, IngestTransaction } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { DomainError, NotFoundError, ValidationFailedError } from '@parking/problem-details';
import { assertWithinDeviceLimit, lockTenantDevices } from '../tenant-limits/device-limit';
import { defaultTenantPlanOf, type DataServiceConfig, TENANT_DATABASE, requirePermission } from '@parking/service-runtime';
import { announce } from './device-events';
import { DeviceFields, UPDATABLE_FIELDS } from './device-fields';
import { DeviceQuery, queryDevices } from './device-query';
import { claimedElsewhere, insertDevices, updateDevice } from './device-store';
import { deviceView } from './device-view';

export type DeviceChanges = Partial<Omit<DeviceFields, 'devEui'>> & { version?: number };

/** Another tenant's integration sends this devEUI: only a platform admin may give it to this tenant. */
function claimRequired(devEui: string): DomainError {
  return new DomainError(
    'DEVICE_CLAIM_REQUIRED',
    `The devEUI ${devEui} reaches the platform through another tenant's ChirpStack integration, so registering it needs a platform admin's approval: ` +
      `ask your platform admin to assign the orphan ${devEui} to your tenant (with proof that the device is yours), or check the label.`,
    { devEui },
  );
}

/** Register, read, change and remove the devices of the caller's tenant. */
@Injectable()
export class DevicesUseCases {
  /** DEFAULT_TENANT_PLAN: the limits of a tenant whose own this service has not heard yet. */
  private readonly defaultPlan: PlanId;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IngestDatabase,
    private readonly outbox: OutboxWriter,
    @Optional() @InjectConfig() config?: DataServiceConfig,
  ) {
    this.defaultPlan = defaultTenantPlanOf(config);
  }

  async register(principal: Principal, fields: DeviceFields): Promise<DeviceView> {
    requirePermission(principal, 'devices:write');
    const tenantId = principal.tenantId;
    return this.db.withTenant(tenantId, async (tx) => {
      await lockTenantDevices(tx, tenantId);
      const now = new Date();
      const inserted = await insertDevices(tx, tenantId, [fields], now);
      if (inserted.size === 0) {
        // The same answer whichever tenant holds it: registration is no way to learn who owns a devEUI.
        throw new DomainError(
          'DEVICE_EXISTS',
          `The devEUI ${fields.devEui} is already registered; remove it there first, or check the label. If the device is yours and you did not register it, ask a platform admin to transfer it to your tenant.`,
          { devEui: fields.devEui },
        );
      }
      if ((await claimedElsewhere(tx, tenantId, [fields.devEui])).size > 0) throw claimRequired(fields.devEui);
      await assertWithinDeviceLimit(tx, tenantId, 1, this.defaultPlan);
      const device = await tx.device.findUniqueOrThrow({ where: { id: inserted.get(fields.devEui) } });
      await announce(this.outbox, tx, IngestEvents.DeviceRegisteredV1, device, now);
      return deviceView(device, now);
    });
  }

  async list(principal: Principal, query: DeviceQuery): Promise<Page<DeviceView>> {
    requirePermission(principal, 'devices:read');
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const page = await queryDevices(tx, { ...query, tenantId: principal.tenantId });
      const now = new Date();
      return { items: page.items.map((device) => deviceView(device, now)), nextCursor: page.nextCursor };
    });
  }

  async get(principal: Principal, devEui: string): Promise<DeviceView> {
    requirePermission(principal, 'devices:read');
    return this.db.withTenant(principal.tenantId, async (tx) => deviceView(await this.find(tx, devEui)));
  }

  async update(principal: Principal, devEui: string, changes: DeviceChanges): Promise<DeviceView> {
    requirePermission(principal, 'devices:write');
    const { version: expected, ...fields } = changes;
    if (Object.keys(fields).length === 0) {
      throw new ValidationFailedError([{ field: 'body', message: `name at least one of ${UPDATABLE_FIELDS.join(', ')}` }]);
    }
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const device = await this.find(tx, devEui);
      if (expected !== undefined && expected !== device.version) {
        throw new DomainError('CONFLICT', `Device ${devEui} is at version ${device.version}, not ${expected}; read it again and repeat the change.`, {
          version: device.version,
        });
      }
      const now = new Date();
      const updated = await updateDevice(this.outbox, tx, device, fields, now);
      if (!updated) throw new DomainError('CONFLICT', `Device ${devEui} changed meanwhile; read it again and repeat the change.`);
      return deviceView(updated, now);
    });
  }

  async remove(principal: Principal, devEui: string): Promise<DeviceView> {
    requirePermission(principal, 'devices:write');
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const device = await this.find(tx, devEui);
      await tx.device.delete({ where: { id: device.id } });
      const now = new Date();
      await announce(this.outbox, tx, IngestEvents.DeviceRemovedV1, device, now);
      return deviceView(device, now);
    });
  }

  /** Another tenant's device is as absent as one that does not exist (RLS hides it). */
  private async find(tx: IngestTransaction, devEui: string): Promise<Device> {
    const device = await tx.device.findUnique({ where: { devEui } });
    if (!device) throw new NotFoundError('Device', devEui);
    return device;
  }
}
