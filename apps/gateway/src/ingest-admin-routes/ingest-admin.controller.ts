import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AdminAssignOrphanResponse,
  AdminReplayDeadLetterResponse,
  AssignOrphanBody,
  DeadLetterPage,
  INGEST_ADMIN_RPC,
  IngestAdminListQuery,
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

/** The uplink pipeline for platform admins: orphan devices and the ingest dead letters. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin')
export class IngestAdminController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('orphans')
  @ApiOperation({ summary: 'DevEUIs that sent events without a registered owner, newest last-seen first' })
  @ApiOkResponse({ type: OrphanPage })
  @ApiAuthenticated()
  listOrphans(@CurrentPrincipal() principal: Principal, @Query() query: IngestAdminListQuery): Promise<OrphanPage> {
    return this.rpc.call(INGEST_ADMIN_RPC.listOrphans, query, { principal });
  }

  @Post('orphans/:devEui/assign')
  @HttpCode(200)
  @ApiOperation({ summary: "Register an orphan's devEUI in a tenant and replay its kept events there" })
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
  @ApiOperation({ summary: 'Messages the uplink pipeline gave up on, newest first, with their reasons' })
  @ApiOkResponse({ type: DeadLetterPage })
  @ApiAuthenticated()
  listDeadLetters(@CurrentPrincipal() principal: Principal, @Query() query: IngestAdminListQuery): Promise<DeadLetterPage> {
    return this.rpc.call(INGEST_ADMIN_RPC.listDeadLetters, query, { principal });
  }

  @Post('dead-letters/:seq/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a dead letter back to the pipeline, once (its dedup makes a second effect impossible)' })
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
