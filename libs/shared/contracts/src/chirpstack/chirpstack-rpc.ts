import { defineRpc } from '../rpc-contract';
import {
  ConnectionPage,
  ConnectionRef,
  ConnectionTestView,
  ConnectionView,
  CreateConnectionRequest,
  ListConnectionsRequest,
  UpdateConnectionRequest,
} from './connection-payloads';
import { CreateGatewayRequest, GatewayPage, GatewayRef, GatewayStatsRequest, GatewayStatsView, GatewayView, ListGatewaysRequest, UpdateGatewayRequest } from './gateway-payloads';
import { DeviceSyncRef, DeviceSyncView, SetDeviceKeysRequest } from './device-sync-payloads';
import { ListReconciliationRunsRequest, ReconcileAnswer, ReconcileRequest, ReconciliationRunPage, ReconciliationRunRef, ReconciliationRunView } from './reconciliation-payloads';
import { EnqueueDownlinkAnswer, EnqueueDownlinkRequest, FlushDownlinkQueueAnswer, FlushDownlinkQueueRequest } from './downlink-payloads';

/**
 * The chirpstack-sync service over NATS request/reply. It checks the permission against the
 * principal inside its tenant: another tenant's connection is 404, like an unknown id. No
 * answer ever holds a connection's token.
 */
export const CHIRPSTACK_RPC = {
  createConnection: defineRpc('rpc.chirpstack-sync.v1.connections.create', CreateConnectionRequest, ConnectionView),
  listConnections: defineRpc('rpc.chirpstack-sync.v1.connections.list', ListConnectionsRequest, ConnectionPage),
  getConnection: defineRpc('rpc.chirpstack-sync.v1.connections.get', ConnectionRef, ConnectionView),
  updateConnection: defineRpc('rpc.chirpstack-sync.v1.connections.update', UpdateConnectionRequest, ConnectionView),
  deleteConnection: defineRpc('rpc.chirpstack-sync.v1.connections.delete', ConnectionRef, ConnectionView),
  /** Calls ChirpStack with the connection's token and reports what it found; failures are findings, not errors. */
  testConnection: defineRpc('rpc.chirpstack-sync.v1.connections.test', ConnectionRef, ConnectionTestView),
  /** Where ChirpStack stands with a device of the registry (`devices:read`). */
  getDeviceSync: defineRpc('rpc.chirpstack-sync.v1.devices.sync', DeviceSyncRef, DeviceSyncView),
  /** Stores a device's OTAA keys sealed and sends them to ChirpStack in the background (`devices:write`); never answers them. */
  setDeviceKeys: defineRpc('rpc.chirpstack-sync.v1.devices.keys', SetDeviceKeysRequest, DeviceSyncView),
  createGateway: defineRpc('rpc.chirpstack-sync.v1.gateways.create', CreateGatewayRequest, GatewayView),
  listGateways: defineRpc('rpc.chirpstack-sync.v1.gateways.list', ListGatewaysRequest, GatewayPage),
  getGateway: defineRpc('rpc.chirpstack-sync.v1.gateways.get', GatewayRef, GatewayView),
  updateGateway: defineRpc('rpc.chirpstack-sync.v1.gateways.update', UpdateGatewayRequest, GatewayView),
  deleteGateway: defineRpc('rpc.chirpstack-sync.v1.gateways.delete', GatewayRef, GatewayView),
  gatewayStats: defineRpc('rpc.chirpstack-sync.v1.gateways.stats', GatewayStatsRequest, GatewayStatsView),
  /** Reconciles the tenant's connections (or one) now and answers the runs (`chirpstack:write`). */
  reconcile: defineRpc('rpc.chirpstack-sync.v1.reconciliation.run', ReconcileRequest, ReconcileAnswer),
  listReconciliationRuns: defineRpc('rpc.chirpstack-sync.v1.reconciliation.list', ListReconciliationRunsRequest, ReconciliationRunPage),
  getReconciliationRun: defineRpc('rpc.chirpstack-sync.v1.reconciliation.get', ReconciliationRunRef, ReconciliationRunView),
} as const;

/**
 * The one door to ChirpStack's downlink queues, for the downlink service only: it carries no
 * user principal, and no gateway route leads to it. A ChirpStack failure answers UNAVAILABLE
 * (unreachable, token refused, circuit open), UPSTREAM_TIMEOUT, NOT_FOUND (the device is not in
 * ChirpStack, or the tenant has no connection) or VALIDATION_FAILED (ChirpStack refused the frame).
 */
export const CHIRPSTACK_DOWNLINK_RPC = {
  enqueue: defineRpc('rpc.chirpstack-sync.v1.downlinks.enqueue', EnqueueDownlinkRequest, EnqueueDownlinkAnswer, { access: 'service', callers: ['downlink'] }),
  flush: defineRpc('rpc.chirpstack-sync.v1.downlinks.flush', FlushDownlinkQueueRequest, FlushDownlinkQueueAnswer, { access: 'service', callers: ['downlink'] }),
} as const;
