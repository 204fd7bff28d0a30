import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  INGEST_ADMIN_RPC,
  type AdminAssignOrphanRequest,
  type AdminListDeadLettersRequest,
  type AdminListOrphansRequest,
  type AdminReplayDeadLetterRequest,
  type Principal,
} from '@parking/contracts';
import { RequirePlatformAdmin } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { DevEuiParam } from '../device-routes/dto/dev-eui-param';
import { NoQueryParams } from '../identity-routes/dto/no-query-params.dto';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import {
  AssignOrphanBody,
  AssignOrphanResponseDto,
  DeadLetterPage,
  IngestAdminListQuery,
  OrphanPage,
  ReplayDeadLetterBody,
  ReplayDeadLetterResponseDto,
} from './dto/ingest-admin.dto';
import { SeqParam } from './dto/seq-param';
import { IngestAdminClient } from './ingest-admin-client';

/** The uplink pipeline for platform admins: orphan devices and the ingest dead letters. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin')
export class IngestAdminController {
  constructor(private readonly ingest: IngestAdminClient) {}

  @Get('orphans')
  @ApiOperation({ summary: 'DevEUIs that sent events without a registered owner, newest last-seen first' })
  @ApiOkResponse({ type: OrphanPage })
  @ApiAuthenticated()
  listOrphans(@CurrentPrincipal() principal: Principal, @Query() query: IngestAdminListQuery): Promise<OrphanPage> {
    return this.ingest.send(INGEST_ADMIN_RPC.listOrphans, { principal, ...query } satisfies AdminListOrphansRequest);
  }

  @Post('orphans/:devEui/assign')
  @HttpCode(200)
  @ApiOperation({ summary: "Register an orphan's devEUI in a tenant and replay its kept events there" })
  @ApiParam({ name: 'devEui', example: '70b3d5e75e003c99' })
  @ApiOkResponse({ type: AssignOrphanResponseDto })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  assignOrphan(
    @CurrentPrincipal() principal: Principal,
    @Param('devEui', DevEuiParam) devEui: string,
    @Body() body: AssignOrphanBody,
    @Query() _query: NoQueryParams,
  ): Promise<AssignOrphanResponseDto> {
    return this.ingest.send(INGEST_ADMIN_RPC.assignOrphan, { principal, devEui, ...body } satisfies AdminAssignOrphanRequest, { long: true });
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Messages the uplink pipeline gave up on, newest first, with their reasons' })
  @ApiOkResponse({ type: DeadLetterPage })
  @ApiAuthenticated()
  listDeadLetters(@CurrentPrincipal() principal: Principal, @Query() query: IngestAdminListQuery): Promise<DeadLetterPage> {
    return this.ingest.send(INGEST_ADMIN_RPC.listDeadLetters, { principal, ...query } satisfies AdminListDeadLettersRequest);
  }

  @Post('dead-letters/:seq/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a dead letter back to the pipeline, once (its dedup makes a second effect impossible)' })
  @ApiParam({ name: 'seq', example: 118 })
  @ApiOkResponse({ type: ReplayDeadLetterResponseDto })
  @ApiAuthenticated()
  @ApiProblems(404, 409)
  replayDeadLetter(
    @CurrentPrincipal() principal: Principal,
    @Param('seq', SeqParam) seq: number,
    @Body() body: ReplayDeadLetterBody,
    @Query() _query: NoQueryParams,
  ): Promise<ReplayDeadLetterResponseDto> {
    return this.ingest.send(INGEST_ADMIN_RPC.replayDeadLetter, { principal, seq, ...body } satisfies AdminReplayDeadLetterRequest);
  }
}
