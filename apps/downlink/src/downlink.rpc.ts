import { Controller } from '@nestjs/common';
import {
  DOWNLINK_RPC,
  type BindDisplayRequest,
  type BulkOverrideAnswer,
  type BulkOverrideRequest,
  type BulkScopeRef,
  type CommandPage,
  type DisplayPage,
  type DisplayRef,
  type DisplayStatsRequest,
  type DisplayStatsView,
  type DisplayView,
  type GatewaySignagePage,
  type ListCommandsRequest,
  type ListDisplaysRequest,
  type PolicyRef,
  type PutPolicyRequest,
  type ReceivedRpcContext,
  type SetOverrideRequest,
  type SignagePolicyView,
  type SignageSettingsBody,
  type SignageSettingsView,
  type SignageStatsQuery,
  type UpdateDisplayRequest,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { DisplaysUseCase } from './displays/displays.use-case';
import { OverridesUseCase } from './displays/overrides.use-case';
import { PoliciesUseCase } from './displays/policies.use-case';
import { SignageSettingsUseCase } from './displays/signage-settings.use-case';
import { SignageStatsUseCase } from './displays/signage-stats.use-case';

const PAGE_DEFAULT = 50;

@Controller()
export class DownlinkRpc {
  constructor(
    private readonly displays: DisplaysUseCase,
    private readonly overrides: OverridesUseCase,
    private readonly policies: PoliciesUseCase,
    private readonly stats: SignageStatsUseCase,
    private readonly settings: SignageSettingsUseCase,
  ) {}

  @RpcHandler(DOWNLINK_RPC.bind)
  bind(request: BindDisplayRequest, context: ReceivedRpcContext): Promise<DisplayView> {
    return this.displays.bind(authorised(context, 'displays:write'), request);
  }

  @RpcHandler(DOWNLINK_RPC.list)
  list(request: ListDisplaysRequest, context: ReceivedRpcContext): Promise<DisplayPage> {
    return this.displays.list(authorised(context, 'displays:read'), request, request.limit ?? PAGE_DEFAULT);
  }

  @RpcHandler(DOWNLINK_RPC.get)
  get(request: DisplayRef, context: ReceivedRpcContext): Promise<DisplayView> {
    return this.displays.get(authorised(context, 'displays:read'), request.displayId);
  }

  @RpcHandler(DOWNLINK_RPC.update)
  update(request: UpdateDisplayRequest, context: ReceivedRpcContext): Promise<DisplayView> {
    const { displayId, ...body } = request;
    return this.displays.update(authorised(context, 'displays:write'), displayId, body);
  }

  @RpcHandler(DOWNLINK_RPC.unbind)
  unbind(request: DisplayRef, context: ReceivedRpcContext): Promise<DisplayView> {
    return this.displays.unbind(authorised(context, 'displays:write'), request.displayId);
  }

  @RpcHandler(DOWNLINK_RPC.refresh)
  refresh(request: DisplayRef, context: ReceivedRpcContext): Promise<DisplayView> {
    return this.displays.refresh(authorised(context, 'displays:write'), request.displayId);
  }

  @RpcHandler(DOWNLINK_RPC.setOverride)
  setOverride(request: SetOverrideRequest, context: ReceivedRpcContext): Promise<DisplayView> {
    const { displayId, ...body } = request;
    return this.overrides.set(authorised(context, 'displays:write'), displayId, body);
  }

  @RpcHandler(DOWNLINK_RPC.clearOverride)
  clearOverride(request: DisplayRef, context: ReceivedRpcContext): Promise<DisplayView> {
    return this.overrides.clear(authorised(context, 'displays:write'), request.displayId);
  }

  @RpcHandler(DOWNLINK_RPC.setBulkOverride)
  setBulkOverride(request: BulkOverrideRequest, context: ReceivedRpcContext): Promise<BulkOverrideAnswer> {
    const { scope, scopeId, ...body } = request;
    return this.overrides.setAll(authorised(context, 'displays:write'), scope, scopeId, body);
  }

  @RpcHandler(DOWNLINK_RPC.clearBulkOverride)
  clearBulkOverride(request: BulkScopeRef, context: ReceivedRpcContext): Promise<BulkOverrideAnswer> {
    return this.overrides.clearAll(authorised(context, 'displays:write'), request.scope, request.scopeId);
  }

  @RpcHandler(DOWNLINK_RPC.commands)
  commands(request: ListCommandsRequest, context: ReceivedRpcContext): Promise<CommandPage> {
    return this.stats.commands(authorised(context, 'displays:read'), request.displayId, request.cursor, request.limit ?? PAGE_DEFAULT);
  }

  @RpcHandler(DOWNLINK_RPC.displayStats)
  displayStats(request: DisplayStatsRequest, context: ReceivedRpcContext): Promise<DisplayStatsView> {
    return this.stats.displayStats(authorised(context, 'displays:read'), request.displayId, request.hours);
  }

  @RpcHandler(DOWNLINK_RPC.gatewayStats)
  gatewayStats(request: SignageStatsQuery, context: ReceivedRpcContext): Promise<GatewaySignagePage> {
    return this.stats.gatewayStats(authorised(context, 'displays:read'), request.hours);
  }

  @RpcHandler(DOWNLINK_RPC.getPolicy)
  getPolicy(request: PolicyRef, context: ReceivedRpcContext): Promise<SignagePolicyView> {
    return this.policies.get(authorised(context, 'displays:read'), request.siteId);
  }

  @RpcHandler(DOWNLINK_RPC.putPolicy)
  putPolicy(request: PutPolicyRequest, context: ReceivedRpcContext): Promise<SignagePolicyView> {
    const { siteId, ...body } = request;
    return this.policies.put(authorised(context, 'displays:write'), siteId, body);
  }

  @RpcHandler(DOWNLINK_RPC.getSettings)
  getSettings(_request: object, context: ReceivedRpcContext): Promise<SignageSettingsView> {
    return this.settings.get(authorised(context, 'displays:read'));
  }

  @RpcHandler(DOWNLINK_RPC.putSettings)
  putSettings(request: SignageSettingsBody, context: ReceivedRpcContext): Promise<SignageSettingsView> {
    return this.settings.put(authorised(context, 'displays:write'), request);
  }
}
