import { Controller, Get, Headers, Inject, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InjectConfig } from '@parking/config';
import { OCCUPANCY_RPC, OccupancyEvents, SiteEventsQuery, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { RequirePermission } from '../../auth/access-requirements';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { GatewayConfig } from '../../config';
import { UuidParam } from '../../http-params/uuid-param';
import { ApiAuthenticated } from '../../openapi/api-docs.decorators';
import { ApiOccupancyProblem, ApiSiteNotFound } from '../occupancy-problems';
import { SITE_ID_PARAM } from '../sites.controller';
import { SiteEventFeed, type SiteEventStream } from './site-event-feed';
import { resumePoint, sseComment, sseEvent, sseRetry } from './sse-frames';

const RECONNECT_MS = 3_000;

/** The live stream of a site's space changes, as Server-Sent Events. */
@ApiTags('sites')
@Controller('api/v1/sites')
export class SiteEventsController {
  private readonly logger = new Logger(SiteEventsController.name);

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    private readonly feed: SiteEventFeed,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @RequirePermission('spaces:read')
  @Get(':id/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Live state changes of the site’s spaces (Server-Sent Events)',
    description:
      `Each message is \`id: <OCCUPANCY stream sequence>\`, \`event: ${OccupancyEvents.SPACE_STATE_CHANGED_V1}\` and \`data: <the event envelope as JSON>\`. ` +
      'A reconnect with Last-Event-ID (browsers send it themselves) resumes right after that event, as long as the stream still holds it. ' +
      'To start from a snapshot, load GET /api/v1/sites/{id}/spaces?include=state and pass its streamSequence as Last-Event-ID or lastEventId; ' +
      "apply an event only when its data.version is greater than the space's state.version. Idle streams get a `: heartbeat` comment.",
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this stream sequence', example: '48213' })
  @ApiOkResponse({
    description: 'An endless text/event-stream',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example: `id: 48214\nevent: ${OccupancyEvents.SPACE_STATE_CHANGED_V1}\ndata: {"specversion":"1.0","type":"${OccupancyEvents.SPACE_STATE_CHANGED_V1}","data":{"spaceId":"…","from":"free","to":"occupied","version":8}}\n\n`,
      },
    },
  })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiOccupancyProblem(503, 'UNAVAILABLE', 'This gateway serves as many live streams as it may (see Retry-After), or NATS is unreachable', 'This gateway already serves 1000 live streams; retry in a few seconds.')
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) siteId: string,
    @Query() query: SiteEventsQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resume = resumePoint(lastEventId, query.lastEventId);
    if (!resume.ok) throw new DomainError('VALIDATION_FAILED', `Last-Event-ID ${resume.reason}.`, undefined, { errors: [{ field: 'Last-Event-ID', message: resume.reason }] });
    if (this.feed.size >= this.config.liveStreams.maxStreams) {
      void reply.header('retry-after', '5');
      throw new DomainError('UNAVAILABLE', `This gateway already serves ${this.config.liveStreams.maxStreams} live streams; retry in a few seconds.`);
    }
    // The site's existence in the caller's tenant is the authorisation: another tenant's site is a 404.
    await this.rpc.call(OCCUPANCY_RPC.getSite, { siteId }, { principal });
    let events: SiteEventStream;
    try {
      events = await this.feed.follow(principal.tenantId, siteId, resume.after);
    } catch (error) {
      this.logger.warn(`live stream of site ${siteId} could not start: ${(error as Error).message}`);
      void reply.header('retry-after', '5');
      throw new DomainError('UNAVAILABLE', 'The live stream cannot reach NATS at the moment; retry in a few seconds.');
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    raw.write(sseRetry(RECONNECT_MS) + sseComment('connected'));
    const heartbeat = setInterval(() => raw.write(sseComment('heartbeat')), this.config.liveStreams.heartbeatMs);
    // 'close' on the response: the client went away (or the response ended).
    const closed = once(raw, 'close').then(() => events.close());
    try {
      for await (const event of events) {
        if (!raw.write(sseEvent(event.seq, OccupancyEvents.SPACE_STATE_CHANGED_V1, event.body))) await drained(raw, closed);
      }
    } catch (error) {
      this.logger.warn(`live stream of site ${siteId} ended: ${(error as Error).message}`);
    } finally {
      clearInterval(heartbeat);
      await events.close();
      // The client reconnects with Last-Event-ID and resumes where this stream stopped.
      raw.end();
    }
  }
}

/** Waits until a slow client has taken what is buffered (the consumer stops pulling meanwhile). */
async function drained(raw: ServerResponse, closed: Promise<unknown>): Promise<void> {
  await Promise.race([once(raw, 'drain'), closed]);
}
