import { Body, Controller, Headers, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  ImportAssignmentRow,
  ImportInventoryResponse,
  ImportSiteRow,
  ImportSpaceRow,
  ImportZoneRow,
  OCCUPANCY_IMPORT_CSV_COLUMNS,
  OCCUPANCY_IMPORT_LISTS,
  OCCUPANCY_IMPORT_MAX_BYTES,
  OCCUPANCY_IMPORT_MAX_ROWS,
  OCCUPANCY_IMPORT_RPC,
  type ImportInventoryRequest,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { ValidationFailedError } from '@parking/problem-details';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { IMPORT_ROUTE_CONFIG, importFormatOf } from '../device-routes/import-body';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiOccupancyLimit, ApiOccupancyProblem } from './occupancy-problems';

const CSV_EXAMPLE = [
  'kind,site,name,code,zone,parent,category,type,tags,devEui',
  'site,,Harbour Garage,,,,off_street,,,',
  'level,Harbour Garage,Level 1,,,,,,,',
  'zone,Harbour Garage,North,,,Level 1,,,,',
  'space,Harbour Garage,,L1-001,North,,,ev,covered;charger,70-B3-D5-47-50-10-0A-1B',
  'space,Harbour Garage,,L1-002,Level 1,,,,,',
  'assignment,Harbour Garage,,L1-002,,,,,,70b3d54750100a1c',
  '',
].join('\n');

const JSON_EXAMPLE = {
  sites: [{ name: 'Harbour Garage', category: 'off_street', timeZone: 'Europe/Berlin' }],
  zones: [
    { site: 'Harbour Garage', name: 'Level 1', kind: 'level' },
    { site: 'Harbour Garage', name: 'North', parent: 'Level 1' },
  ],
  spaces: [
    { site: 'Harbour Garage', code: 'L1-001', zone: 'North', type: 'ev', tags: ['covered'], devEui: '70-B3-D5-47-50-10-0A-1B' },
    { site: 'Harbour Garage', code: 'L1-002', zone: 'Level 1' },
  ],
  assignments: [{ site: 'Harbour Garage', code: 'L1-002', devEui: '70b3d54750100a1c' }],
};

const list = (row: new () => object) => ({ type: 'array', items: { $ref: getSchemaPath(row) } });

/** Bulk import of sites, their zones, spaces and sensor assignments (owned by occupancy). */
@ApiTags('sites')
@ApiExtraModels(ImportSiteRow, ImportZoneRow, ImportSpaceRow, ImportAssignmentRow)
@Controller('api/v1/sites')
export class ImportController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('sites:write')
  @Post('import')
  @HttpCode(201)
  @IMPORT_ROUTE_CONFIG()
  @ApiOperation({
    summary: `Import sites, zones, spaces and sensor assignments (up to ${OCCUPANCY_IMPORT_MAX_ROWS} rows) from CSV or JSON, all or nothing`,
    description:
      'Needs sites:write and spaces:write. Rows refer to each other by name, so one file can build a site from scratch: a site by its name ' +
      '(a site row of the import, or an existing site by id or unique name), a zone by its name within its site, a space by its code ' +
      'within its site; order does not matter. The import only creates: a site or zone named like an existing one, or a space code the ' +
      'site has already, is a row error (refer to existing ones instead). Every row is checked first; one bad row rejects the whole ' +
      'import with 422 listing each problem by CSV line (the header is line 1) or JSON list and index, and nothing is written. New ' +
      "spaces start unknown and count in their zones and site at once. The import counts against the plan's site and space limits " +
      `as a whole (403). CSV: a header row naming some of the columns ${OCCUPANCY_IMPORT_CSV_COLUMNS.join(', ')}; each row's kind ` +
      'is site, zone, level (a zone of kind level), space or assignment, and uses only its own columns (site: name, category, address, ' +
      'latitude, longitude, timeZone, heartbeatTimeoutSeconds; zone/level: site, name, parent; space: site, code, zone, name, category, ' +
      'type, tags as a;b, priceZone, latitude, longitude, devEui; assignment: site, code, devEui). JSON: ' +
      `{${OCCUPANCY_IMPORT_LISTS.join(', ')}}, each list optional. At most ${OCCUPANCY_IMPORT_MAX_BYTES} bytes.`,
    requestBody: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
        'application/json': {
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: {
              sites: list(ImportSiteRow),
              zones: list(ImportZoneRow),
              spaces: list(ImportSpaceRow),
              assignments: list(ImportAssignmentRow),
            },
          },
          example: JSON_EXAMPLE,
        },
      },
    },
  })
  @ApiCreatedResponse({ type: ImportInventoryResponse })
  @ApiAuthenticated()
  @ApiOccupancyLimit('spaces', 50)
  @ApiOccupancyProblem(409, 'CONFLICT', 'Another change took a code or sensor of the import meanwhile', 'Another change created one of the same space codes or sensor assignments while this import ran, so nothing was imported; send the import again to see which rows.')
  @ApiOccupancyProblem(413, 'PAYLOAD_TOO_LARGE', 'The import is too large', `The import holds 30000 rows; at most ${OCCUPANCY_IMPORT_MAX_ROWS} go in one import. Split it into several files (sites and zones first).`)
  @ApiOccupancyProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Neither text/csv nor application/json', 'Send the import as text/csv (a header row first) or application/json.')
  @ApiOccupancyProblem(422, 'IMPORT_REJECTED', 'Rows are invalid; nothing was imported', '2 of 7 rows cannot be imported, so none was: fix the rows listed in "rows" and send the whole import again.', {
    rows: [
      { line: 4, field: 'parent', message: 'names no zone of this import or of the site' },
      { line: 6, field: 'devEui', message: 'the sensor 70b3d54750100a1c already lies under the space "L2-004" (9d0c…); unassign it there first' },
    ],
    errors: [
      { field: 'line 4.parent', message: 'names no zone of this import or of the site' },
      { field: 'line 6.devEui', message: 'the sensor 70b3d54750100a1c already lies under the space "L2-004" (9d0c…); unassign it there first' },
    ],
  })
  import(
    @CurrentPrincipal() principal: Principal,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Query() _query: NoQueryParams,
  ): Promise<ImportInventoryResponse> {
    let request: ImportInventoryRequest;
    if (importFormatOf(contentType) === 'csv') {
      request = { format: 'csv', text: typeof body === 'string' ? body : '' };
    } else {
      const lists = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
      const extra = lists ? Object.keys(lists).filter((key) => !(OCCUPANCY_IMPORT_LISTS as readonly string[]).includes(key)) : [];
      if (!lists || extra.length > 0) {
        throw new ValidationFailedError([{ field: extra[0] ?? 'body', message: `send {${OCCUPANCY_IMPORT_LISTS.join(', ')}} (each a list, each optional) with nothing else` }]);
      }
      request = { format: 'json', ...lists };
    }
    return this.rpc.call(OCCUPANCY_IMPORT_RPC.importInventory, request, { principal });
  }
}
