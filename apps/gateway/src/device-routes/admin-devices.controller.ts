import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminDevicePage, AdminDeviceStatsRequest, AdminDeviceStatsResponse, AdminListDevicesRequest, DEVICE_PAGE_MAX, DEVICES_RPC, LOW_BATTERY_DEFAULT_PERCENT, ONLINE_HEARTBEATS, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePlatformAdmin } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';

/** The device pool across tenants; every call names its reason, which ingest audits. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin/devices')
export class AdminDevicesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Devices of every tenant, oldest first; filter by tenant, codec or kind',
    description:
      'Platform administrators only; the `reason` query parameter is written to ingest’s audit log. Each device carries its `tenantId` besides what GET /api/v1/devices shows. ' +
      `Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${DEVICE_PAGE_MAX} (default 50).`,
  })
  @ApiOkResponse({ type: AdminDevicePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: AdminListDevicesRequest): Promise<AdminDevicePage> {
    return this.rpc.call(DEVICES_RPC.adminList, query, { principal });
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Device counts per tenant, codec and kind; online, offline and low battery',
    description:
      'Platform administrators only; the `reason` query parameter is written to ingest’s audit log. Counted live over the whole registry; tenants with the most devices come first. ' +
      `Online means heard within ${ONLINE_HEARTBEATS} × the heartbeat; low battery means a last known battery below ${LOW_BATTERY_DEFAULT_PERCENT} %.`,
  })
  @ApiOkResponse({ type: AdminDeviceStatsResponse })
  @ApiAuthenticated()
  stats(@CurrentPrincipal() principal: Principal, @Query() query: AdminDeviceStatsRequest): Promise<AdminDeviceStatsResponse> {
    return this.rpc.call(DEVICES_RPC.adminStats, query, { principal });
  }
}
