import { IDENTITY_RPC } from '../identity/identity-rpc';
import { DEVICES_RPC } from '../ingest/devices-rpc';
import { INGEST_ADMIN_RPC } from '../ingest/ingest-admin-rpc';
import { RAW_WEBHOOK_SUBJECT_ROOT } from '../ingest/raw-webhook';
import { OCCUPANCY_HISTORY_RPC } from '../occupancy/history-rpc';
import { OCCUPANCY_IMPORT_RPC } from '../occupancy/import-rpc';
import { OCCUPANCY_INVENTORY_RPC } from '../occupancy/inventory-rpc';
import { OCCUPANCY_INTEROP_RPC } from '../occupancy/interop-rpc';
import { OCCUPANCY_RPC } from '../occupancy/occupancy-rpc';
import { OCCUPANCY_STATS_RPC } from '../occupancy/stats-rpc';
import { ChirpstackEvents, IdentityEvents, IngestEvents, OccupancyEvents, ReservationsEvents } from '../events/registry';
import { RESERVATIONS_RPC } from '../reservations/reservations-rpc';
import { CHIRPSTACK_DOWNLINK_RPC, CHIRPSTACK_RPC } from '../chirpstack/chirpstack-rpc';
import { DOWNLINK_RPC } from '../downlink/downlink-rpc';
import { deadLetterSubject } from '../streams';
import type { NatsServiceAccess, StreamPublishAccess } from './service-access';

/** `deadletter.<service>.>`: where the service's consumers put what they gave up on. */
function deadLettersOf(service: string): StreamPublishAccess {
  return { stream: 'DEADLETTER', subject: deadLetterSubject(service, '>') };
}

const TENANT_LIMITS = `${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>`;

/** A service that only answers its own RPCs and publishes its own events (the shells so far). */
function ownDomainOnly(stream: NatsServiceAccess['owns'][number]): NatsServiceAccess {
  return { servesRpc: true, calls: [], owns: [stream], publishesInto: [], ensures: [], durables: [], follows: [], reads: [] };
}

/**
 * What every service does on NATS, in one place. The server authorization of every
 * deployment (npm start, tests, compose, Kubernetes) is rendered from it, and each data
 * service provisions the streams it names here. Durable names and filters must match the
 * consumers in the apps (their specs check it).
 */
export const NATS_ACCESS = {
  gateway: {
    servesRpc: false,
    // The REST API fronts every command and query of these services.
    calls: [IDENTITY_RPC, DEVICES_RPC, INGEST_ADMIN_RPC, OCCUPANCY_RPC, OCCUPANCY_HISTORY_RPC, OCCUPANCY_INTEROP_RPC, OCCUPANCY_IMPORT_RPC, OCCUPANCY_STATS_RPC, RESERVATIONS_RPC, CHIRPSTACK_RPC, DOWNLINK_RPC],
    // Raw ChirpStack webhooks, durable before the 200.
    owns: ['WEBHOOKS'],
    publishesInto: [],
    ensures: [],
    durables: [],
    follows: [
      // Per-tenant request budgets (TenantLimitsFeed).
      { stream: 'IDENTITY', filter: TENANT_LIMITS },
      // Webhook tokens and HMAC secrets (IntegrationDirectoryFeed).
      { stream: 'IDENTITY', filter: 'identity.webhook_integration.>' },
      // Revoked and rotated API keys, dropped from the cache at once (ApiKeyRevocationFeed).
      { stream: 'IDENTITY', filter: `${IdentityEvents.API_KEY_REVOKED_V1}.>` },
      // Removed users and suspended tenants, whose live streams end (AccessEndingsFeed).
      { stream: 'IDENTITY', filter: `${IdentityEvents.USER_REMOVED_V1}.>` },
      { stream: 'IDENTITY', filter: `${IdentityEvents.TENANT_SUSPENDED_V1}.>` },
      // A site's live stream, one consumer per tenant (SiteEventFeed).
      { stream: 'OCCUPANCY', filter: `${OccupancyEvents.SPACE_STATE_CHANGED_V1}.*.*` },
    ],
    reads: [],
  },
  identity: ownDomainOnly('IDENTITY'),
  ingest: {
    servesRpc: true,
    calls: [],
    owns: ['INGEST'],
    // Orphan assignment and dead-letter replay put raw webhooks back for the pipeline.
    publishesInto: [{ stream: 'WEBHOOKS', subject: `${RAW_WEBHOOK_SUBJECT_ROOT}.>` }, deadLettersOf('ingest')],
    // Consumed streams are created when missing, so ingest may boot before the gateway and identity.
    ensures: ['WEBHOOKS', 'IDENTITY', 'CHIRPSTACK', 'DEADLETTER'],
    durables: [
      { stream: 'WEBHOOKS', durable: 'ingest-uplink-pipeline', filter: `${RAW_WEBHOOK_SUBJECT_ROOT}.>` },
      { stream: 'IDENTITY', durable: 'ingest-tenant-limits', filter: TENANT_LIMITS },
      // Devices a reconciliation found in ChirpStack but not in the registry.
      { stream: 'CHIRPSTACK', durable: 'ingest-chirpstack-orphans', filter: `${ChirpstackEvents.DEVICE_ORPHAN_FOUND_V1}.>` },
      // ChirpStack's values a chirpstack-wins reconciliation sends to the registry.
      { stream: 'CHIRPSTACK', durable: 'ingest-chirpstack-drift', filter: `${ChirpstackEvents.DEVICE_DRIFT_ADOPTED_V1}.>` },
    ],
    follows: [],
    // The dead-letter admin lists and replays ingest's dead letters.
    reads: ['DEADLETTER'],
  },
  occupancy: {
    servesRpc: true,
    calls: [],
    owns: ['OCCUPANCY'],
    publishesInto: [deadLettersOf('occupancy')],
    ensures: ['INGEST', 'IDENTITY', 'RESERVATIONS', 'DEADLETTER'],
    durables: [
      { stream: 'INGEST', durable: 'occupancy-uplinks', filter: `${IngestEvents.UPLINK_RECEIVED_V1}.>` },
      { stream: 'INGEST', durable: 'occupancy-devices', filter: IngestEvents.DEVICE_EVENTS_FILTER },
      // Only what changes a space: the other reservation events would cost a transaction each for nothing.
      { stream: 'RESERVATIONS', durable: 'occupancy-reservation-starts', filter: `${ReservationsEvents.RESERVATION_STARTED_V1}.>` },
      { stream: 'RESERVATIONS', durable: 'occupancy-reservation-ends', filter: `${ReservationsEvents.RESERVATION_ENDED_V1}.>` },
      { stream: 'IDENTITY', durable: 'occupancy-tenant-limits', filter: TENANT_LIMITS },
    ],
    follows: [],
    reads: [],
  },
  reservations: {
    servesRpc: true,
    // Its read model of occupancy's inventory starts from the snapshot at boot.
    calls: [OCCUPANCY_INVENTORY_RPC],
    owns: ['RESERVATIONS'],
    publishesInto: [deadLettersOf('reservations')],
    ensures: ['OCCUPANCY', 'IDENTITY', 'DEADLETTER'],
    // NATS 2.9 takes one filter per consumer: the zones' two, so the busy availability counts stay out.
    durables: [
      { stream: 'OCCUPANCY', durable: 'reservations-spaces', filter: OccupancyEvents.SPACE_EVENTS_FILTER },
      { stream: 'OCCUPANCY', durable: 'reservations-sites', filter: 'occupancy.site.>' },
      { stream: 'OCCUPANCY', durable: 'reservations-zone-upserts', filter: `${OccupancyEvents.ZONE_UPSERTED_V1}.>` },
      { stream: 'OCCUPANCY', durable: 'reservations-zone-removals', filter: `${OccupancyEvents.ZONE_REMOVED_V1}.>` },
      { stream: 'IDENTITY', durable: 'reservations-tenant-limits', filter: TENANT_LIMITS },
    ],
    follows: [],
    reads: [],
  },
  downlink: {
    servesRpc: true,
    // Every frame to a device goes through chirpstack-sync, the only holder of ChirpStack credentials.
    calls: [CHIRPSTACK_DOWNLINK_RPC],
    owns: ['DOWNLINK'],
    publishesInto: [deadLettersOf('downlink')],
    ensures: ['INGEST', 'OCCUPANCY', 'DEADLETTER'],
    // Signs follow the display devices, the spaces' states and the zones' and sites' free counts.
    durables: [
      { stream: 'INGEST', durable: 'downlink-devices', filter: IngestEvents.DEVICE_EVENTS_FILTER },
      // Count signs are bound to zones and sites; overrides cover a zone with its nested zones, or a site.
      { stream: 'OCCUPANCY', durable: 'downlink-sites', filter: 'occupancy.site.>' },
      { stream: 'OCCUPANCY', durable: 'downlink-zone-upserts', filter: `${OccupancyEvents.ZONE_UPSERTED_V1}.>` },
      { stream: 'OCCUPANCY', durable: 'downlink-zone-removals', filter: `${OccupancyEvents.ZONE_REMOVED_V1}.>` },
      { stream: 'OCCUPANCY', durable: 'downlink-spaces', filter: OccupancyEvents.SPACE_EVENTS_FILTER },
      { stream: 'OCCUPANCY', durable: 'downlink-availability', filter: `${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}.>` },
      // ChirpStack's word on the frames: txack, ack, and failed downlinks.
      { stream: 'INGEST', durable: 'downlink-confirmations', filter: 'ingest.downlink.>' },
      // What displays report they show, and the gateways that heard them (not every sensor's uplinks).
      { stream: 'INGEST', durable: 'downlink-display-reports', filter: `${IngestEvents.DISPLAY_REPORTED_V1}.>` },
    ],
    follows: [],
    reads: [],
  },
  'chirpstack-sync': {
    servesRpc: true,
    calls: [],
    owns: ['CHIRPSTACK'],
    publishesInto: [deadLettersOf('chirpstack-sync')],
    ensures: ['INGEST', 'OCCUPANCY', 'DEADLETTER'],
    durables: [
      // ChirpStack follows the device registry.
      { stream: 'INGEST', durable: 'chirpstack-sync-devices', filter: IngestEvents.DEVICE_EVENTS_FILTER },
      // Gateways are tied to sites of their tenant.
      { stream: 'OCCUPANCY', durable: 'chirpstack-sync-sites', filter: 'occupancy.site.>' },
      // Which gateways relayed each uplink: gateway statistics and health.
      { stream: 'INGEST', durable: 'chirpstack-sync-gateway-uplinks', filter: `${IngestEvents.UPLINK_RECEIVED_V1}.>` },
    ],
    follows: [],
    reads: [],
  },
} as const satisfies Record<string, NatsServiceAccess>;

export type NatsServiceName = keyof typeof NATS_ACCESS;

export const NATS_SERVICE_NAMES = Object.keys(NATS_ACCESS) as NatsServiceName[];

export function isNatsServiceName(name: string): name is NatsServiceName {
  return Object.prototype.hasOwnProperty.call(NATS_ACCESS, name);
}

/** The declaration of one service; a service that has none may not connect at all. */
export function natsAccessOf(service: string): NatsServiceAccess {
  if (!isNatsServiceName(service)) throw new Error(`No NATS access is declared for "${service}" (libs/shared/contracts/src/nats-access/platform-access.ts)`);
  return NATS_ACCESS[service];
}
