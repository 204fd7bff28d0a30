import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  DEVICE_IMPORT_MAX_BYTES,
  DEVICE_IMPORT_MAX_ROWS,
  DEVICE_IMPORTS_PER_MINUTE,
  DEVICE_PAGE_MAX,
  DEVICES_RPC,
  DeviceFilterQuery,
  DevicePage,
  DeviceView,
  ImportDevicesResponse,
  IngestEvents,
  ListDevicesRequest,
  ListLowBatteryDevicesRequest,
  LOW_BATTERY_DEFAULT_PERCENT,
  ONLINE_HEARTBEATS,
  RegisterDeviceRequest,
  UpdateDeviceBody,
  type ImportDevicesRequest,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError, ValidationFailedError } from '@parking/problem-details';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import { ApiDeviceConflicts, ApiDeviceLimit, ApiDeviceNotFound, ApiDeviceProblem } from './device-problems';
import { DevEuiParam } from '../http-params/dev-eui-param';
import { IMPORT_ROUTE_CONFIG, importFormatOf } from './import-body';

export const DEV_EUI_PARAM = { name: 'devEui', example: '70b3d54750100a1b', description: '16 hex digits, any case, optionally separated by "-" or ":"' } as const;

const CSV_EXAMPLE = 'devEui,kind,codec,name,heartbeatSeconds,tags\n70-B3-D5-47-50-10-0A-1B,sensor,nwave-nps405,"Bay 12, level 2",,level:2;zone:north\n70b3d54750100a1c,display,chirpstack-object,Entrance sign,600,\n';

/** How every device list pages. */
const PAGING = `Oldest first, keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${DEVICE_PAGE_MAX} (default 50).`;

/** The device registry of the caller's tenant (owned by ingest). */
@ApiTags('devices')
@ApiExtraModels(RegisterDeviceRequest)
@Controller('api/v1/devices')
export class DevicesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('devices:write')
  @Post()
  @ApiOperation({
    summary: 'Register a device; its devEUI may be registered once on the whole platform',
    description:
      'Needs `devices:write`. The devEUI is accepted in any case, with or without "-" or ":", and stored as 16 lower-case hex digits; one registered in any tenant is 409 DEVICE_EXISTS, which does not say where. ' +
      'One that another tenant’s ChirpStack integration has sent (and not registered) is 409 DEVICE_CLAIM_REQUIRED: a platform admin assigns it to the tenant that shows the device is its own. ' +
      `The codec must be one ingest can decode (400 otherwise); 403 LIMIT_EXCEEDED at the plan’s \`devices\` limit. Publishes ${IngestEvents.DEVICE_REGISTERED_V1}.`,
  })
  @ApiCreatedResponse({ type: DeviceView })
  @ApiAuthenticated()
  @ApiDeviceConflicts()
  @ApiDeviceLimit()
  register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterDeviceRequest, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.register, body, { principal });
  }

  @RequirePermission('devices:read')
  @Get()
  @ApiOperation({
    summary: 'Devices of the tenant with their health, oldest first; filter by kind, codec, tag, status, battery or a name/devEUI prefix',
    description:
      `Needs \`devices:read\`. ${PAGING} \`status=online\` means heard within ${ONLINE_HEARTBEATS} × the heartbeat (the device’s \`heartbeatSeconds\`, else its codec’s default); ` +
      `\`battery=low\` a last known battery below ${LOW_BATTERY_DEFAULT_PERCENT} %; \`q\` a prefix of the name (any case) or of the devEUI.`,
  })
  @ApiOkResponse({ type: DevicePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListDevicesRequest): Promise<DevicePage> {
    return this.rpc.call(DEVICES_RPC.list, query, { principal });
  }

  @RequirePermission('devices:read')
  @Get('offline')
  @ApiOperation({
    summary: 'Devices not heard within 2 × their heartbeat, including devices never heard',
    description: `Needs \`devices:read\`. The heartbeat is the device’s \`heartbeatSeconds\`, else its codec’s default. Takes the filters kind, codec, tag and q of GET /api/v1/devices. ${PAGING}`,
  })
  @ApiOkResponse({ type: DevicePage })
  @ApiAuthenticated()
  offline(@CurrentPrincipal() principal: Principal, @Query() query: DeviceFilterQuery): Promise<DevicePage> {
    return this.rpc.call(DEVICES_RPC.listOffline, query, { principal });
  }

  @RequirePermission('devices:read')
  @Get('low-battery')
  @ApiOperation({
    summary: 'Devices whose last known battery is below the threshold (default 20 %); unknown battery is not listed',
    description: `Needs \`devices:read\`. \`threshold\` is a percentage from 1 to 100. Takes the filters kind, codec, tag and q of GET /api/v1/devices. ${PAGING}`,
  })
  @ApiOkResponse({ type: DevicePage })
  @ApiAuthenticated()
  lowBattery(@CurrentPrincipal() principal: Principal, @Query() query: ListLowBatteryDevicesRequest): Promise<DevicePage> {
    return this.rpc.call(DEVICES_RPC.listLowBattery, query, { principal });
  }

  @RequirePermission('devices:write')
  @Post('import')
  @HttpCode(201)
  @IMPORT_ROUTE_CONFIG()
  @ApiOperation({
    summary: `Import up to ${DEVICE_IMPORT_MAX_ROWS} devices from CSV or JSON, all or nothing`,
    description:
      'Every row is checked first (fields, devEUIs twice in the file, devEUIs registered anywhere). One bad row rejects the whole ' +
      'import with 422 listing each problem by CSV line (the header is line 1) or JSON index, and nothing is applied. ' +
      'Rows whose devEUI another tenant holds, or another tenant’s integration sends, are not listed but counted in `unavailable`: an import says no more about other tenants than a registration does. ' +
      `A tenant starts at most ${DEVICE_IMPORTS_PER_MINUTE} imports a minute, whatever their outcome (429 RATE_LIMITED with Retry-After beyond). ` +
      `CSV: a header row naming the columns devEui, kind, codec, name and optionally chirpstackApplicationId, chirpstackProfileId, heartbeatSeconds, tags (as key:value;key:value), description, joinEui. At most ${DEVICE_IMPORT_MAX_BYTES} bytes.`,
    requestBody: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
        'application/json': {
          schema: {
            oneOf: [
              { type: 'array', items: { $ref: getSchemaPath(RegisterDeviceRequest) } },
              { type: 'object', required: ['devices'], properties: { devices: { type: 'array', items: { $ref: getSchemaPath(RegisterDeviceRequest) } } } },
            ],
          },
          example: [{ devEui: '70b3d54750100a1b', kind: 'sensor', codec: 'nwave-nps405', name: 'Bay 12, level 2' }],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: ImportDevicesResponse })
  @ApiAuthenticated()
  @ApiDeviceLimit()
  @ApiDeviceProblem(413, 'PAYLOAD_TOO_LARGE', 'The import is too large', `The import holds 12000 devices; at most ${DEVICE_IMPORT_MAX_ROWS} go in one import. Split it into several files.`)
  @ApiDeviceProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Neither text/csv nor application/json', 'Send the import as text/csv or application/json.')
  @ApiDeviceProblem(422, 'IMPORT_REJECTED', 'Rows are invalid; nothing was imported', '1 of 2 rows cannot be imported, so none was: fix the rows listed in "rows" and send the whole file again.', {
    rows: [{ line: 3, devEui: '70b3d54750100a1c', field: 'codec', message: '"nwave" is not a known codec; must be one of nwave-nps405, …' }],
  })
  @ApiDeviceProblem(
    429,
    'RATE_LIMITED',
    `The tenant started ${DEVICE_IMPORTS_PER_MINUTE} imports within the last minute (see Retry-After), or a rate limit of the caller is reached`,
    `This tenant started ${DEVICE_IMPORTS_PER_MINUTE} device imports within a minute, the most it may; retry in 42 s. Registering single devices is not limited by this.`,
    { limit: DEVICE_IMPORTS_PER_MINUTE, retryAfterSeconds: 42 },
  )
  async import(
    @CurrentPrincipal() principal: Principal,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Query() _query: NoQueryParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportDevicesResponse> {
    let request: ImportDevicesRequest;
    if (importFormatOf(contentType) === 'csv') {
      request = { format: 'csv', text: typeof body === 'string' ? body : '' };
    } else {
      const devices = Array.isArray(body) ? body : (body as { devices?: unknown } | null)?.devices;
      const extra = Array.isArray(body) || body === null || typeof body !== 'object' ? [] : Object.keys(body).filter((key) => key !== 'devices');
      if (!Array.isArray(devices) || extra.length > 0) {
        throw new ValidationFailedError([{ field: 'devices', message: 'send an array of devices, or {"devices": [...]} with nothing else' }]);
      }
      request = { format: 'json', devices };
    }
    try {
      return await this.rpc.call(DEVICES_RPC.import, request, { principal });
    } catch (error) {
      // Ingest counts the tenant's imports; the wait it names becomes the header.
      const wait = error instanceof DomainError && error.code === 'RATE_LIMITED' ? error.extras?.['retryAfterSeconds'] : undefined;
      if (typeof wait === 'number' && Number.isInteger(wait) && wait > 0) void reply.header('retry-after', String(wait));
      throw error;
    }
  }

  @RequirePermission('devices:read')
  @Get(':devEui')
  @ApiOperation({
    summary: 'One device with its health',
    description:
      'Needs `devices:read`. The devEUI in any accepted form. `health` is what the uplinks reported: last seen, online, battery, signal, frame counters and location. A device of another tenant is 404, like an unknown devEUI.',
  })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceView })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.get, { devEui }, { principal });
  }

  @RequirePermission('devices:write')
  @Patch(':devEui')
  @ApiOperation({
    summary: 'Change name, kind, codec, heartbeat, tags or ChirpStack ids; the version grows by one',
    description:
      'Needs `devices:write`. Only the fields given change; `null` clears an optional one and `tags` replaces every tag. A body naming no field is 400; one that changes nothing answers the device as it is. ' +
      `Send the \`version\` you read to get 409 CONFLICT instead of overwriting a newer change. Publishes ${IngestEvents.DEVICE_UPDATED_V1} when something changed; a device of another tenant is 404.`,
  })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceView })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  @ApiProblems(409)
  update(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Body() body: UpdateDeviceBody, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.update, { ...body, devEui }, { principal });
  }

  @RequirePermission('devices:write')
  @Delete(':devEui')
  @ApiOperation({
    summary: 'Remove a device; its devEUI may be registered again',
    description:
      `Needs \`devices:write\`. Answers the device as it was and publishes ${IngestEvents.DEVICE_REMOVED_V1}; occupancy then takes the sensor off its space, if it lay under one. ` +
      'A device of another tenant is 404, like an unknown devEUI.',
  })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceView, description: 'The device as it was' })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  remove(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.remove, { devEui }, { principal });
  }
}
