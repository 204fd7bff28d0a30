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
import { CredentialExpiry } from '../../auth/credential-expiry';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { GatewayConfig } from '../../config';
import { UuidParam } from '../../http-params/uuid-param';
import { ApiAuthenticated } from '../../openapi/api-docs.decorators';
import { ApiOccupancyProblem, ApiSiteNotFound } from '../occupancy-problems';
import { SITE_ID_PARAM } from '../sites.controller';
import { LiveStreamSlots, type LiveStreamCap, type LiveStreamSlot } from './live-stream-slots';
import { SiteEventFeed, type SiteEventStream } from './site-event-feed';
import { resumePoint, sseComment, sseEvent, sseRetry } from './sse-frames';
import { STREAM_CLOSED_DETAILS, STREAM_CLOSED_EVENT, streamClosedFrame } from './stream-closed';

const RECONNECT_MS = 3_000;
/** A full gateway frees slots as streams end anywhere; a caller's own cap only when it closes one of its streams. */
const RETRY_AFTER_SECONDS: Record<LiveStreamCap, number> = { process: 5, tenant: 30, principal: 30 };

/** The live stream of a site's space changes, as Server-Sent Events. */
@ApiTags('sites')
@Controller('api/v1/sites')
export class SiteEventsController {
  private readonly logger = new Logger(SiteEventsController.name);

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    private readonly feed: SiteEventFeed,
    private readonly slots: LiveStreamSlots,
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
      "apply an event only when its data.version is greater than the space's state.version. Idle streams get a `: heartbeat` comment. " +
      `The server may end the stream itself, after a last \`event: ${STREAM_CLOSED_EVENT}\` (no id) whose data is \`{"reason": …, "detail": …}\`. The reasons: ` +
      Object.entries(STREAM_CLOSED_DETAILS)
        .map(([reason, detail]) => `\`${reason}\`: ${detail}`)
        .join(' ') +
      ' EventSource reconnects by itself after a close: listen for this event and close it, or refresh the credential first. ' +
      'Each gateway serves at most a few streams per user or API key (SSE_MAX_STREAMS_PER_PRINCIPAL, 10 by default) and per tenant (SSE_MAX_STREAMS_PER_TENANT, 100): past them 429 RATE_LIMITED with Retry-After; past its own total (SSE_MAX_STREAMS) 503 UNAVAILABLE.',
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
  @ApiOccupancyProblem(
    429,
    'RATE_LIMITED',
    'The caller (or its tenant) has as many live streams open on this gateway as it may (see Retry-After)',
    'This user already has 10 live streams open on this gateway (at most 10 per user or API key); close one before opening another, or retry in 30 s.',
    { cap: 'principal', max: 10, retryAfterSeconds: 30 },
  )
  @ApiOccupancyProblem(503, 'UNAVAILABLE', 'This gateway serves as many live streams as it may (see Retry-After), or NATS is unreachable', 'This gateway already serves 1000 live streams; retry in a few seconds.')
  async stream(
    @CurrentPrincipal() principal: Principal,
    @CredentialExpiry() credentialExpiresAt: number | undefined,
    @Param('id', UuidParam) siteId: string,
    @Query() query: SiteEventsQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resume = resumePoint(lastEventId, query.lastEventId);
    if (!resume.ok) throw new DomainError('VALIDATION_FAILED', `Last-Event-ID ${resume.reason}.`, undefined, { errors: [{ field: 'Last-Event-ID', message: resume.reason }] });
    // Taken before the first await, so concurrent opens are counted against the caps one by one.
    const reservation = this.slots.reserve({ tenantId: principal.tenantId, actor: principal.actor, userId: principal.userId, apiKeyId: principal.apiKeyId, credentialExpiresAt });
    if (!reservation.ok) throw refusal(principal, reservation.cap, reservation.max);
    try {
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
      await this.serve(reply, siteId, events, reservation.slot);
    } finally {
      reservation.slot.release();
    }
  }

  /** Writes the site's events until the client goes, NATS ends the consumer, or the slot ends (then says why). */
  private async serve(reply: FastifyReply, siteId: string, events: SiteEventStream, slot: LiveStreamSlot): Promise<void> {
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
    // Expired or revoked credential, removed user, suspended tenant: possibly before the stream began.
    const ended = new Promise<void>((resolve) =>
      slot.onEnd(() => {
        void events.close();
        resolve();
      }),
    );
    try {
      for await (const event of events) {
        if (!raw.write(sseEvent(event.seq, OccupancyEvents.SPACE_STATE_CHANGED_V1, event.body))) await drained(raw, Promise.race([closed, ended]));
      }
    } catch (error) {
      this.logger.warn(`live stream of site ${siteId} ended: ${(error as Error).message}`);
    } finally {
      clearInterval(heartbeat);
      await events.close();
      const reason = slot.endReason;
      if (reason && !raw.destroyed) raw.write(streamClosedFrame(reason));
      // The client reconnects with Last-Event-ID and resumes where this stream stopped.
      raw.end();
    }
  }
}

/** 429 for the caller's or its tenant's cap (they can close streams), 503 for the gateway's own; Retry-After from retryAfterSeconds. */
function refusal(principal: Principal, cap: LiveStreamCap, max: number): DomainError {
  const retryAfterSeconds = RETRY_AFTER_SECONDS[cap];
  const extras = { cap, max, retryAfterSeconds };
  const who = principal.kind === 'api-key' ? 'API key' : 'user';
  switch (cap) {
    case 'principal':
      return new DomainError('RATE_LIMITED', `This ${who} already has ${max} live streams open on this gateway (at most ${max} per user or API key); close one before opening another, or retry in ${retryAfterSeconds} s.`, extras);
    case 'tenant':
      return new DomainError('RATE_LIMITED', `This tenant already has ${max} live streams open on this gateway (at most ${max} per tenant); close some of its streams before opening another, or retry in ${retryAfterSeconds} s.`, extras);
    case 'process':
      return new DomainError('UNAVAILABLE', `This gateway already serves ${max} live streams; retry in ${retryAfterSeconds} s (another gateway replica may have room).`, extras);
  }
}

/** Waits until a slow client has taken what is buffered (the consumer stops pulling meanwhile). */
async function drained(raw: ServerResponse, closed: Promise<unknown>): Promise<void> {
  await Promise.race([once(raw, 'drain'), closed]);
}
