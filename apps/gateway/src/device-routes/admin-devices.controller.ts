import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEVICES_RPC, type AdminDeviceStatsRequest, type AdminListDevicesRequest, type Principal } from '@parking/contracts';
import { RequirePlatformAdmin } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { AdminDevicePage, AdminDevicesQuery, AdminReasonQuery, DeviceStatsDto } from './dto/devices.dto';
import { IngestClient } from './ingest-client';

/** The device pool across tenants; every call names its reason, which ingest audits. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin/devices')
export class AdminDevicesController {
  constructor(private readonly ingest: IngestClient) {}

  @Get()
  @ApiOperation({ summary: 'Devices of every tenant, oldest first; filter by tenant, codec or kind' })
  @ApiOkResponse({ type: AdminDevicePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: AdminDevicesQuery): Promise<AdminDevicePage> {
    return this.ingest.send(DEVICES_RPC.adminList, { principal, ...query } satisfies AdminListDevicesRequest);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Device counts per tenant, codec and kind; online, offline and low battery' })
  @ApiOkResponse({ type: DeviceStatsDto })
  @ApiAuthenticated()
  stats(@CurrentPrincipal() principal: Principal, @Query() query: AdminReasonQuery): Promise<DeviceStatsDto> {
    return this.ingest.send(DEVICES_RPC.adminStats, { principal, ...query } satisfies AdminDeviceStatsRequest);
  }
}
