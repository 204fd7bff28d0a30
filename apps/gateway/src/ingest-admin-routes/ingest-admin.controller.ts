import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AdminAssignOrphanResponse,
  AdminReplayDeadLetterResponse,
  AssignOrphanBody,
  DeadLetterPage,
  INGEST_ADMIN_PAGE_MAX,
  INGEST_ADMIN_RPC,
  IngestAdminListQuery,
  IngestEvents,
  ORPHAN_DEVEUIS_PER_SOURCE,
  ORPHAN_EVENTS_KEPT,
  OrphanPage,
  ReplayDeadLetterBody,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePlatformAdmin } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { DevEuiParam } from '../http-params/dev-eui-param';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import { SeqParam } from '../http-params/seq-param';

/** Who may call every route here, and what happens to the reason each one names. */
const ADMIN_ONLY = 'Platform administrators only; the `reason` is written to ingest’s audit log.';

/** The uplink pipeline for platform admins: orphan devices and the ingest dead letters. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin')
export class IngestAdminController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('orphans')
  @ApiOperation({
    summary: 'DevEUIs that sent events without a registered owner, newest last-seen first',
    description:
      `${ADMIN_ONLY} Each orphan shows when it was first and last seen, how many events it sent, the newest one and the tenant whose integration sent it (null: the platform secret); its newest ${ORPHAN_EVENTS_KEPT} raw events are kept for replay. ` +
      "`sources` lists each tenant (null: the platform secret) that sends it without having registered it; while a tenant is listed, another tenant's registration of the devEUI is 409 DEVICE_CLAIM_REQUIRED. " +
      `A source holds at most ${ORPHAN_DEVEUIS_PER_SOURCE} orphan devEUIs; events of further ones are counted (metric ingest_orphan_events_capped_total), not recorded. ` +
      `Pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${INGEST_ADMIN_PAGE_MAX} (default 50).`,
  })
  @ApiOkResponse({ type: OrphanPage })
  @ApiAuthenticated()
  listOrphans(@CurrentPrincipal() principal: Principal, @Query() query: IngestAdminListQuery): Promise<OrphanPage> {
    return this.rpc.call(INGEST_ADMIN_RPC.listOrphans, query, { principal });
  }

  @Post('orphans/:devEui/assign')
  @HttpCode(200)
  @ApiOperation({
    summary: "Register an orphan's devEUI in a tenant and replay its kept events there",
    description:
      `${ADMIN_ONLY} Registers the devEUI in \`tenantId\` with the codec, name and kind given (default sensor), publishing ${IngestEvents.DEVICE_REGISTERED_V1}, then sends the kept events that the platform secret or that tenant’s integrations sent back through the pipeline in arrival order; events another tenant sent are dropped (\`discarded\`). ` +
      'This is how a claim is approved: a tenant whose registration was 409 DEVICE_CLAIM_REQUIRED gets the devEUI once it has shown the device is its own. ' +
      `One registered to another tenant is 409 DEVICE_EXISTS, unless \`transfer\` is true: then it is removed there (${IngestEvents.DEVICE_REMOVED_V1} to that tenant) and registered in \`tenantId\`. ` +
      'A devEUI that is no orphan is 404; the tenant’s device limit applies (403 LIMIT_EXCEEDED) and an unknown codec is 400.',
  })
  @ApiParam({ name: 'devEui', example: '70b3d5e75e003c99' })
  @ApiOkResponse({ type: AdminAssignOrphanResponse })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  assignOrphan(
    @CurrentPrincipal() principal: Principal,
    @Param('devEui', DevEuiParam) devEui: string,
    @Body() body: AssignOrphanBody,
    @Query() _query: NoQueryParams,
  ): Promise<AdminAssignOrphanResponse> {
    return this.rpc.call(INGEST_ADMIN_RPC.assignOrphan, { ...body, devEui }, { principal });
  }

  @Get('dead-letters')
  @ApiOperation({
    summary: 'Messages the uplink pipeline gave up on, newest first, with their reasons',
    description:
      `${ADMIN_ONLY} Ingest’s dead letters in the DEADLETTER stream, each with its original subject, consumer, reason, deliveries and whether it was replayed. ` +
      `\`cursor\` is the stream sequence to continue below (pass \`nextCursor\` back); \`limit\` 1 to ${INGEST_ADMIN_PAGE_MAX} (default 50). One page looks at no more than 5000 stream positions, so it may hold fewer items than \`limit\` and still have a \`nextCursor\`.`,
  })
  @ApiOkResponse({ type: DeadLetterPage })
  @ApiAuthenticated()
  listDeadLetters(@CurrentPrincipal() principal: Principal, @Query() query: IngestAdminListQuery): Promise<DeadLetterPage> {
    return this.rpc.call(INGEST_ADMIN_RPC.listDeadLetters, query, { principal });
  }

  @Post('dead-letters/:seq/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a dead letter back to the pipeline, once (its dedup makes a second effect impossible)',
    description:
      `${ADMIN_ONLY} Publishes the original message again on its subject, with its data and headers and the message id \`replay:<seq>:<original id>\`. ` +
      'A dead letter is replayed at most once: a second attempt is 409 ALREADY_REPLAYED. A `seq` that holds no ingest dead letter is 404.',
  })
  @ApiParam({ name: 'seq', example: 118 })
  @ApiOkResponse({ type: AdminReplayDeadLetterResponse })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  replayDeadLetter(
    @CurrentPrincipal() principal: Principal,
    @Param('seq', SeqParam) seq: number,
    @Body() body: ReplayDeadLetterBody,
    @Query() _query: NoQueryParams,
  ): Promise<AdminReplayDeadLetterResponse> {
    return this.rpc.call(INGEST_ADMIN_RPC.replayDeadLetter, { ...body, seq }, { principal });
  }
}
