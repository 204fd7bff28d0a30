import { randomUUID } from 'node:crypto';
import type { AckEvent, IntegrationEvent, JoinEvent, LocationEvent, LogEvent, StatusEvent, TxAckEvent, UplinkEvent } from '@parking/chirpstack-events';
import { IngestEvents, type Uplink } from '@parking/contracts';
import type { SqlClient } from '@parking/database';
import type { BatchOutcome, OutboxWriter } from '@parking/messaging';
import { decodeUplink, DecodeOutcome, UndecodableUplinkError } from './decode-uplink';
import { DeviceHealthUpdate, LockedDevice, lockDevices, writeDeviceHealth } from './device-state';
import { OrphanRecorder } from '../orphans/orphan-recorder';
import { OutboxBatch, outboxEntry } from './outbox-batch';
import type { RawWebhook } from './raw-webhook';
import { afterFCntReset, afterJoin, placeUplink } from './session-rules';
import { applicationMatches } from './uplink-routing';
import { toUplink } from './uplink-contract';

interface StagedUplink {
  webhook: RawWebhook;
  device: LockedDevice;
  uplink: Uplink;
  /** The highest fCnt of its session so far: its readings become the device's. */
  newest: boolean;
  /** Where its event goes among the batch's events, if it turns out new. */
  eventIndex: number;
}

/** The effects of one tenant's share of a batch, all in that tenant's one transaction. */
export class TenantBatch {
  private readonly health = new Map<string, DeviceHealthUpdate>();
  private devices = new Map<string, LockedDevice>();
  /** Uplinks and events staged in arrival order, written with one statement each at the end. */
  private readonly staged: StagedUplink[] = [];
  private readonly events = new OutboxBatch();

  constructor(
    private readonly tx: SqlClient,
    private readonly tenantId: string,
    private readonly outbox: OutboxWriter,
    private readonly orphans: OrphanRecorder,
  ) {}

  /** One outcome per webhook, in order. Throws (rolling everything back) on database errors. */
  async run(webhooks: readonly RawWebhook[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = webhooks.map(() => ({ kind: 'ack' }));
    this.devices = await lockDevices(this.tx, webhooks.map((w) => w.event.devEui));

    // Decoding needs the device's codec but no database: a frame no codec can read is
    // dead-lettered before it leaves any trace, so a replay after a fix processes it.
    const decodes = new Map<number, DecodeOutcome>();
    const known: number[] = [];
    const orphaned: number[] = [];
    webhooks.forEach((webhook, i) => {
      const device = this.devices.get(webhook.event.devEui);
      // A device that names its application takes only that application's events (uplink-routing.ts).
      if (!device || !applicationMatches(device, webhook)) return orphaned.push(i);
      if (webhook.event.kind === 'up') {
        try {
          decodes.set(i, decodeUplink(webhook.event, device.codec));
        } catch (error) {
          if (!(error instanceof UndecodableUplinkError)) throw error;
          outcomes[i] = { kind: 'poison', reason: `undecodable uplink of ${webhook.event.devEui}: ${error.message}` };
          return;
        }
      }
      known.push(i);
    });

    const fresh = await this.claimReceipts(known.map((i) => webhooks[i].dedupKey));
    for (const i of known) {
      const webhook = webhooks[i];
      // The first occurrence claims the receipt; repeats in the same batch find it taken.
      if (!fresh.delete(webhook.dedupKey)) continue;
      await this.apply(webhook, this.devices.get(webhook.event.devEui) as LockedDevice, decodes.get(i));
    }
    await this.writeUplinks();
    await this.events.write(this.tx, this.outbox);
    await writeDeviceHealth(this.tx, [...this.health].map(([devEui, update]) => ({ id: (this.devices.get(devEui) as LockedDevice).id, update })));

    if (orphaned.length > 0) {
      const recorded = await this.orphans.recordAll(this.tx, orphaned.map((i) => webhooks[i]), this.tenantId);
      orphaned.forEach((i, n) => (outcomes[i] = recorded[n]));
    }
    return outcomes;
  }

  /** Inserts the receipts; answers the keys that were new (a multiset: repeats are claimed once). */
  private async claimReceipts(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.tx.$queryRawUnsafe<Array<{ dedup_key: string }>>(
      `INSERT INTO ingest.event_receipts (tenant_id, dedup_key)
       SELECT $1::uuid, k FROM unnest($2::text[]) AS k
       ON CONFLICT DO NOTHING RETURNING dedup_key`,
      this.tenantId,
      [...new Set(keys)],
    );
    return new Set(rows.map((r) => r.dedup_key));
  }

  private healthOf(device: LockedDevice): DeviceHealthUpdate {
    let update = this.health.get(device.devEui);
    if (!update) this.health.set(device.devEui, (update = new DeviceHealthUpdate()));
    return update;
  }

  private async apply(webhook: RawWebhook, device: LockedDevice, decode: DecodeOutcome | undefined): Promise<void> {
    const event = webhook.event;
    switch (event.kind) {
      case 'up':
        return this.uplink(webhook, event, device, decode as DecodeOutcome);
      case 'join':
        return this.join(webhook, event, device);
      case 'status':
        return this.status(webhook, event, device);
      case 'ack':
      case 'txack':
        return this.confirmation(webhook, event, device);
      case 'log':
        return this.log(webhook, event, device);
      case 'location':
        return this.location(webhook, event, device);
      case 'integration':
        return this.integration(webhook, event, device);
    }
  }

  /**
   * Places the frame in its session and stages it. Whether it is new is known only once the
   * batch's uplinks are inserted; a frame already stored leaves the device's session state as
   * it was anyway (its fCnt is at most lastFCnt, its devAddr the stored one), so placing the
   * rest of the batch does not depend on the answer.
   */
  private async uplink(webhook: RawWebhook, event: UplinkEvent, device: LockedDevice, decode: DecodeOutcome): Promise<void> {
    const placement = placeUplink(device.state, event.fCnt, event.devAddr);
    device.state = placement.next;
    this.healthOf(device).session = device.state;
    const uplink = toUplink(event, { tenantId: this.tenantId, deviceId: device.id, session: placement.session, receivedAt: webhook.receivedAt, decode });
    // A late arrival counts as seen, but the newest frame keeps the last word on readings.
    this.staged.push({ webhook, device, uplink, newest: placement.next.lastFCnt === event.fCnt, eventIndex: this.events.reserve() });
  }

  /** One INSERT for the batch's uplinks; a (device, session, fCnt) already stored has no effect. */
  private async writeUplinks(): Promise<void> {
    if (this.staged.length === 0) return;
    const rows = this.staged.map(({ webhook, device, uplink }, n) => ({
      n,
      id: randomUUID(),
      device_id: device.id,
      dev_eui: device.devEui,
      session: uplink.session,
      f_cnt: uplink.fCnt,
      f_port: uplink.fPort,
      dedup_key: webhook.dedupKey,
      sensor_time: uplink.sensorTime,
      received_at: uplink.receivedAt,
      occupied: uplink.decoded.occupied,
      codec_id: uplink.codecId,
      uplink,
    }));
    const inserted = await this.tx.$queryRawUnsafe<Array<{ dev_eui: string; session: number; f_cnt: number }>>(
      `INSERT INTO ingest.uplinks (id, tenant_id, device_id, dev_eui, session, f_cnt, f_port, dedup_key, sensor_time, received_at, occupied, codec_id, uplink)
       SELECT r.id, $1::uuid, r.device_id, r.dev_eui, r.session, r.f_cnt, r.f_port, r.dedup_key, r.sensor_time, r.received_at, r.occupied, r.codec_id, r.uplink
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, device_id uuid, dev_eui text, session int, f_cnt bigint, f_port int, dedup_key text,
              sensor_time timestamptz, received_at timestamptz, occupied boolean, codec_id text, uplink jsonb, n int)
        ORDER BY r.n
       ON CONFLICT ON CONSTRAINT uplinks_frame_key DO NOTHING
       RETURNING dev_eui, session, f_cnt::float8 AS f_cnt`,
      this.tenantId,
      JSON.stringify(rows),
    );
    const stored = new Set(inserted.map((r) => `${r.dev_eui}:${r.session}:${r.f_cnt}`));
    for (const { webhook, device, uplink, newest, eventIndex } of this.staged) {
      // The first of the same frame in this batch took the row; a retransmission has no effect.
      if (!stored.delete(`${device.devEui}:${uplink.session}:${uplink.fCnt}`)) continue;
      const health = this.healthOf(device);
      health.seen(webhook.receivedAt);
      health.uplinks++;
      if (newest) {
        const { decoded, radio } = uplink;
        if (decoded.batteryPercent !== null) health.column('battery_percent', decoded.batteryPercent);
        if (decoded.batteryVoltage !== null) health.column('battery_voltage', decoded.batteryVoltage);
        if (decoded.temperatureC !== null) health.column('temperature_c', decoded.temperatureC);
        if (radio.rssi !== null) health.column('rssi', Math.round(radio.rssi));
        if (radio.snr !== null) health.column('snr', radio.snr);
      }
      this.events.fill(eventIndex, outboxEntry(IngestEvents.UplinkReceivedV1, { tenantId: this.tenantId, aggregateId: device.id, data: uplink }));
      if (device.kind === 'display') {
        // Signage reads what its displays report without reading every sensor's uplinks.
        this.events.add(outboxEntry(IngestEvents.DisplayReportedV1, {
          tenantId: this.tenantId,
          aggregateId: device.id,
          data: { tenantId: this.tenantId, deviceId: device.id, devEui: device.devEui, codecId: uplink.codecId, fields: uplink.decoded.fields, gateways: uplink.radio.gateways, receivedAt: uplink.receivedAt },
        }));
      }
    }
  }

  private async join(webhook: RawWebhook, event: JoinEvent, device: LockedDevice): Promise<void> {
    device.state = afterJoin(device.state, event.devAddr);
    const health = this.healthOf(device);
    health.seen(webhook.receivedAt);
    health.session = device.state;
    this.events.add(outboxEntry(IngestEvents.DeviceJoinedV1, {
      tenantId: this.tenantId,
      aggregateId: device.id,
      data: {
        tenantId: this.tenantId,
        deviceId: device.id,
        devEui: device.devEui,
        session: device.state.session,
        devAddr: device.state.devAddr,
        deduplicationId: event.deduplicationId ?? null,
        joinedAt: event.time ?? webhook.receivedAt.toISOString(),
        receivedAt: webhook.receivedAt.toISOString(),
      },
    }));
  }

  private async status(webhook: RawWebhook, event: StatusEvent, device: LockedDevice): Promise<void> {
    const health = this.healthOf(device);
    const reportedAt = event.time ?? webhook.receivedAt.toISOString();
    if (event.batteryLevel !== undefined) health.column('battery_percent', event.batteryLevel);
    health.column('margin_db', Math.round(event.margin));
    health.column('last_status_at', reportedAt);
    this.events.add(outboxEntry(IngestEvents.DeviceStatusV1, {
      tenantId: this.tenantId,
      aggregateId: device.id,
      data: {
        tenantId: this.tenantId,
        deviceId: device.id,
        devEui: device.devEui,
        batteryPercent: event.batteryLevel ?? null,
        externalPowerSource: event.externalPowerSource,
        marginDb: Math.round(event.margin),
        reportedAt,
        receivedAt: webhook.receivedAt.toISOString(),
      },
    }));
  }

  private async confirmation(webhook: RawWebhook, event: AckEvent | TxAckEvent, device: LockedDevice): Promise<void> {
    this.events.add(outboxEntry(IngestEvents.DownlinkConfirmedV1, {
      tenantId: this.tenantId,
      aggregateId: device.id,
      data: {
        tenantId: this.tenantId,
        deviceId: device.id,
        devEui: device.devEui,
        confirmation: event.kind,
        queueItemId: event.queueItemId ?? null,
        acknowledged: event.acknowledged,
        fCntDown: event.fCntDown,
        gatewayId: event.kind === 'txack' ? (event.gatewayId ?? null) : null,
        confirmedAt: event.time ?? webhook.receivedAt.toISOString(),
        receivedAt: webhook.receivedAt.toISOString(),
      },
    }));
  }

  private async log(webhook: RawWebhook, event: LogEvent, device: LockedDevice): Promise<void> {
    await this.deviceLog(webhook, device, 'log', event.level, event.code, event.description, event.context, event.time);
    if (event.code === 'UPLINK_F_CNT_RESET') {
      device.state = afterFCntReset(device.state);
      this.healthOf(device).session = device.state;
    }
    if (event.code.startsWith('DOWNLINK_')) this.downlinkFailed(webhook, event, device);
  }

  /**
   * A failed downlink, as ChirpStack logs it. Which context keys a log carries depends on the
   * version: DOWNLINK_GATEWAY states the gateway's TX status as its description (and, where the
   * version adds them, the queue item and gateway in its context); DOWNLINK_PAYLOAD_SIZE names
   * the queue item.
   */
  private downlinkFailed(webhook: RawWebhook, event: LogEvent, device: LockedDevice): void {
    const context = (...keys: string[]) => keys.map((key) => event.context[key]).find((value) => typeof value === 'string' && value.length > 0) ?? null;
    const txStatus = context('tx_status', 'txStatus', 'status') ?? (event.code === 'DOWNLINK_GATEWAY' && /^[A-Z_]+$/.test(event.description) ? event.description : null);
    this.events.add(outboxEntry(IngestEvents.DownlinkFailedV1, {
      tenantId: this.tenantId,
      aggregateId: device.id,
      data: {
        tenantId: this.tenantId,
        deviceId: device.id,
        devEui: device.devEui,
        code: event.code.slice(0, 200),
        txStatus: txStatus?.slice(0, 100) ?? null,
        queueItemId: context('queue_item_id', 'queueItemId', 'queue_item')?.slice(0, 100) ?? null,
        gatewayId: context('gateway_id', 'gatewayId')?.slice(0, 100) ?? null,
        description: event.description.slice(0, 2000),
        failedAt: event.time ?? webhook.receivedAt.toISOString(),
        receivedAt: webhook.receivedAt.toISOString(),
      },
    }));
  }

  private async integration(webhook: RawWebhook, event: IntegrationEvent, device: LockedDevice): Promise<void> {
    await this.deviceLog(webhook, device, 'integration', null, event.eventType, event.integrationName, event.object, event.time);
  }

  private async location(webhook: RawWebhook, event: LocationEvent, device: LockedDevice): Promise<void> {
    const health = this.healthOf(device);
    health.column('latitude', event.latitude);
    health.column('longitude', event.longitude);
    health.column('altitude', event.altitude);
    health.column('location_source', event.source);
    health.column('located_at', event.time ?? webhook.receivedAt.toISOString());
  }

  private async deviceLog(
    webhook: RawWebhook,
    device: LockedDevice,
    kind: 'log' | 'integration',
    level: string | null,
    code: string,
    description: string,
    context: Record<string, unknown>,
    time: string | undefined,
  ): Promise<void> {
    await this.tx.$executeRawUnsafe(
      `INSERT INTO ingest.device_logs (tenant_id, dev_eui, kind, level, code, description, context, time, received_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb, $8::timestamptz, $9::timestamptz)`,
      this.tenantId,
      device.devEui,
      kind,
      level,
      code.slice(0, 200),
      description.slice(0, 2000),
      JSON.stringify(context),
      time ?? null,
      webhook.receivedAt.toISOString(),
    );
  }
}
