import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CHIRPSTACK_RPC,
  RECONCILIATION_FINDINGS_MAX,
  RECONCILIATION_PAGE_MAX,
  ListReconciliationRunsRequest,
  ReconcileAnswer,
  ReconcileRequest,
  ReconciliationRunPage,
  ReconciliationRunView,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated, type RouteProblem } from '../openapi/api-docs.decorators';

const RUNS = '/api/v1/chirpstack/reconciliation-runs';
const RUN_NOT_FOUND: RouteProblem = {
  code: 'NOT_FOUND',
  when: "No run of the tenant has this id (another tenant's is the same)",
  detail: 'Reconciliation run "8d2c4b6a-1e3f-4a5b-9c7d-0e1f2a3b4c5d" does not exist.',
  instance: `${RUNS}/8d2c4b6a-1e3f-4a5b-9c7d-0e1f2a3b4c5d`,
};
const RUNNING: RouteProblem = {
  code: 'CONFLICT',
  when: 'A reconciliation of the connection is running already',
  detail: 'A reconciliation of connection 3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c is running; its run will be in GET /api/v1/chirpstack/reconciliation-runs.',
  instance: '/api/v1/chirpstack/reconcile',
};
const CONNECTION_NOT_FOUND: RouteProblem = {
  code: 'NOT_FOUND',
  when: "`connectionId` names no connection of the tenant (another tenant's is the same)",
  detail: 'ChirpStack connection "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" does not exist.',
  instance: '/api/v1/chirpstack/reconcile',
};
const WHAT_A_RUN_DOES =
  "A run pages through ChirpStack's devices in the connection's applications and compares them with the registry: a device of ours missing there is created again; a device there that the tenant has not registered is an orphan " +
  '(published once as chirpstack.device.orphan_found.v1, and recorded by ingest); drift in name, description, profile, tags, disabled state or our id is set back under the `platform-wins` policy and reported otherwise ' +
  '(`chirpstack-wins` sends ChirpStack\'s name, description, tags and profile to the registry as chirpstack.device.drift_adopted.v1, which ingest applies unless the device changed meanwhile). The list lacks the disabled state and variables, so a bounded, paced number of devices is read whole each run, the least recently read first.';

/** Reconciliation with ChirpStack (owned by the chirpstack-sync service). */
@ApiTags('chirpstack')
@Controller('api/v1/chirpstack')
export class ReconciliationController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('chirpstack:write')
  @Post('reconcile')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reconcile the tenant's ChirpStack connections (or one) with the registry now",
    description: `Needs \`chirpstack:write\`. Runs besides the scheduled ones (every 5 minutes by default, RECONCILE_INTERVAL_SECONDS) and answers each run when it ends. ${WHAT_A_RUN_DOES}`,
  })
  @ApiOkResponse({ type: ReconcileAnswer })
  @ApiAuthenticated(RUNNING, CONNECTION_NOT_FOUND)
  reconcile(@CurrentPrincipal() principal: Principal, @Body() body: ReconcileRequest, @Query() _query: NoQueryParams): Promise<ReconcileAnswer> {
    return this.rpc.call(CHIRPSTACK_RPC.reconcile, body, { principal });
  }

  @RequirePermission('chirpstack:read')
  @Get('reconciliation-runs')
  @ApiOperation({
    summary: 'Reconciliation runs of the tenant, newest first',
    description: `Needs \`chirpstack:read\`. Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${RECONCILIATION_PAGE_MAX} (default 50); \`connectionId\` for one connection's runs.`,
  })
  @ApiOkResponse({ type: ReconciliationRunPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReconciliationRunsRequest): Promise<ReconciliationRunPage> {
    return this.rpc.call(CHIRPSTACK_RPC.listReconciliationRuns, query, { principal });
  }

  @RequirePermission('chirpstack:read')
  @Get('reconciliation-runs/:id')
  @ApiOperation({ summary: 'One reconciliation run: what it compared, found and did', description: `Needs \`chirpstack:read\`. The counts cover everything; \`findings\` the first ${RECONCILIATION_FINDINGS_MAX}.` })
  @ApiParam({ name: 'id', format: 'uuid', example: '8d2c4b6a-1e3f-4a5b-9c7d-0e1f2a3b4c5d', description: 'The run' })
  @ApiOkResponse({ type: ReconciliationRunView })
  @ApiAuthenticated(RUN_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) runId: string, @Query() _query: NoQueryParams): Promise<ReconciliationRunView> {
    return this.rpc.call(CHIRPSTACK_RPC.getReconciliationRun, { runId }, { principal });
  }
}
