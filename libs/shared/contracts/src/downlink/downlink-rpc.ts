import { defineRpc } from '../rpc-contract';
import {
  BindDisplayRequest,
  BulkOverrideAnswer,
  BulkOverrideRequest,
  BulkScopeRef,
  CommandPage,
  DisplayPage,
  DisplayRef,
  DisplayStatsRequest,
  DisplayStatsView,
  DisplayView,
  GatewaySignagePage,
  ListCommandsRequest,
  ListDisplaysRequest,
  SetOverrideRequest,
  SignageStatsQuery,
  UpdateDisplayRequest,
} from './display-payloads';
import { NoInput } from '../fields/no-input';
import { PolicyRef, PutPolicyRequest, SignagePolicyView, SignageSettingsBody, SignageSettingsView } from './policy-payloads';

/**
 * Signage over NATS request/reply: displays, their overrides and history, the policies, and the
 * statistics. The service checks `displays:read|write` against the principal inside its
 * tenant: another tenant's id is 404.
 */
export const DOWNLINK_RPC = {
  /** 404 for a device, space, zone or site it does not know; 422 DEVICE_NOT_A_DISPLAY; 409 CONFLICT for a device already bound. */
  bind: defineRpc('rpc.downlink.v1.displays.bind', BindDisplayRequest, DisplayView),
  list: defineRpc('rpc.downlink.v1.displays.list', ListDisplaysRequest, DisplayPage),
  get: defineRpc('rpc.downlink.v1.displays.get', DisplayRef, DisplayView),
  update: defineRpc('rpc.downlink.v1.displays.update', UpdateDisplayRequest, DisplayView),
  unbind: defineRpc('rpc.downlink.v1.displays.unbind', DisplayRef, DisplayView),
  setOverride: defineRpc('rpc.downlink.v1.displays.override.set', SetOverrideRequest, DisplayView),
  clearOverride: defineRpc('rpc.downlink.v1.displays.override.clear', DisplayRef, DisplayView),
  /** Sends what the display should show again, even when it is known to show it already. */
  refresh: defineRpc('rpc.downlink.v1.displays.refresh', DisplayRef, DisplayView),
  setBulkOverride: defineRpc('rpc.downlink.v1.overrides.set', BulkOverrideRequest, BulkOverrideAnswer),
  clearBulkOverride: defineRpc('rpc.downlink.v1.overrides.clear', BulkScopeRef, BulkOverrideAnswer),
  commands: defineRpc('rpc.downlink.v1.displays.commands', ListCommandsRequest, CommandPage),
  displayStats: defineRpc('rpc.downlink.v1.displays.stats', DisplayStatsRequest, DisplayStatsView),
  gatewayStats: defineRpc('rpc.downlink.v1.gateways.stats', SignageStatsQuery, GatewaySignagePage),
  getPolicy: defineRpc('rpc.downlink.v1.policies.get', PolicyRef, SignagePolicyView),
  putPolicy: defineRpc('rpc.downlink.v1.policies.put', PutPolicyRequest, SignagePolicyView),
  getSettings: defineRpc('rpc.downlink.v1.settings.get', NoInput, SignageSettingsView),
  putSettings: defineRpc('rpc.downlink.v1.settings.put', SignageSettingsBody, SignageSettingsView),
} as const;
