import type { SqlClient } from '@parking/database';
import type { RawWebhook } from './raw-webhook';

/**
 * Which device an event reaches: by the tenant of the integration that sent it, the ChirpStack
 * application it carries (v4 `deviceInfo.applicationId`, v3 `applicationID`) and its devEUI.
 *
 * - A device that names its application (`chirpstackApplicationId`) takes only events that
 *   carry that very application, whoever signed them.
 * - An event a tenant's integration signed (bearer token or its HMAC secret) reaches only that
 *   tenant's device with its devEUI.
 * - A platform-signed event reaches the device registered with its devEUI, in whichever tenant,
 *   when that device names the event's application; or when it names none and no device of
 *   another tenant names the event's application (an application is its tenants' own).
 *
 * An event that reaches no device is an orphan of its source (see OrphanRecorder).
 */

/** What routing reads of a registered device. */
export interface RoutedDevice {
  tenantId: string;
  /** The ChirpStack application the device names; null: none. */
  applicationId: string | null;
}

/** The ChirpStack application an event carries, if any. */
export function applicationOf(webhook: RawWebhook): string | undefined {
  return webhook.event.chirpstack.applicationId;
}

/** A device that names its application takes only events of that application. */
export function applicationMatches(device: RoutedDevice, webhook: RawWebhook): boolean {
  return device.applicationId === null || device.applicationId === applicationOf(webhook);
}

/**
 * The registered devices of some devEUIs and the tenants whose devices name some
 * applications, read in one statement on the device-lookup system path.
 */
export class DeviceRoutes {
  private constructor(
    private readonly devices: ReadonlyMap<string, RoutedDevice>,
    /** Per application: the tenants whose devices name it (at most two are read: enough to tell). */
    private readonly namedBy: ReadonlyMap<string, readonly string[]>,
  ) {}

  /**
   * Looks up the devices of the webhooks' devEUIs and the applications of the platform-signed
   * ones. Needs `app.system_purpose` set in `tx` (asSystem, or OrphanRecorder's path).
   */
  static async lookup(tx: SqlClient, webhooks: readonly RawWebhook[]): Promise<DeviceRoutes> {
    const devEuis = [...new Set(webhooks.map((w) => w.event.devEui))];
    const applications = [...new Set(webhooks.filter((w) => !w.tenantId).map(applicationOf))].filter((a): a is string => a !== undefined);
    if (devEuis.length === 0) return new DeviceRoutes(new Map(), new Map());
    const rows = await tx.$queryRawUnsafe<Array<{ dev_eui: string | null; tenant_id: string; application_id: string | null }>>(
      `SELECT dev_eui, tenant_id::text, application_id FROM ingest.device_owners($1::text[], $2::text[])`,
      devEuis,
      applications,
    );
    const devices = new Map<string, RoutedDevice>();
    const namedBy = new Map<string, string[]>();
    for (const row of rows) {
      if (row.dev_eui !== null) devices.set(row.dev_eui, { tenantId: row.tenant_id, applicationId: row.application_id });
      else if (row.application_id !== null) namedBy.set(row.application_id, [...(namedBy.get(row.application_id) ?? []), row.tenant_id]);
    }
    return new DeviceRoutes(devices, namedBy);
  }

  /** The tenant whose device the event reaches; undefined: none (an orphan of its source). */
  tenantOf(webhook: RawWebhook): string | undefined {
    const device = this.devices.get(webhook.event.devEui);
    if (!device || !applicationMatches(device, webhook)) return undefined;
    if (webhook.tenantId) return device.tenantId === webhook.tenantId ? device.tenantId : undefined;
    if (device.applicationId !== null) return device.tenantId;
    const application = applicationOf(webhook);
    const tenants = application === undefined ? [] : (this.namedBy.get(application) ?? []);
    return tenants.every((tenant) => tenant === device.tenantId) ? device.tenantId : undefined;
  }
}
