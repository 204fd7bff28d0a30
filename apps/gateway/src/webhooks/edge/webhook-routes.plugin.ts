import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dedupKey, parseChirpstackEvent } from '@parking/chirpstack-events';
import { Namespace, PLATFORM_TENANT_TOKEN, rawWebhookHeaders, rawWebhookSubject } from '@parking/contracts';
import { runAsServerSpan } from '@parking/observability';
import { classifyException, DomainError, PROBLEM_CONTENT_TYPE, toProblemDocument, type FieldError } from '@parking/problem-details';
import { WebhookUnavailableError, type Acceptance, type OutgoingWebhook, type WebhookDurabilityHealth } from '../delivery/durable-webhook-sink';
import type { DeliveryReporter, RejectionReason } from '../reporting/delivery-reporter';
import { webhookRequests, type WebhookOutcome } from '../webhook-metrics';
import type { IntegrationLookupKey } from '../../webhook-integrations';
import type { AuthFailureLimit } from './auth-failure-limit';
import type { AuthFailure, AuthScheme, WebhookAuthenticator, WebhookCaller } from './webhook-authenticator';
import type { QuotaAnswer } from './webhook-quota';
import { eventOf, WEBHOOK_BODY_LIMIT_BYTES, WEBHOOK_HEALTH_PATH, WEBHOOK_ROUTES, type WebhookRouteSpec } from './webhook-route-specs';

export interface WebhookRouteDeps {
  namespace: string;
  authenticator: WebhookAuthenticator;
  /** Asks identity once about an integration this process has not heard of; true when it now knows it. */
  lookup(key: IntegrationLookupKey): Promise<boolean>;
  /** Failed authentications per client address (WEBHOOK_AUTH_FAILURES_PER_IP). */
  authFailures: Pick<AuthFailureLimit, 'blocked' | 'record'>;
  /** Takes one webhook of the tenant's quota (undefined: the platform secret's); answers at once unless the counters are asked. */
  quota(tenantId: string | undefined): QuotaAnswer | Promise<QuotaAnswer>;
  reporter: Pick<DeliveryReporter, 'accepted' | 'rejected'>;
  accept(webhook: OutgoingWebhook): Promise<Acceptance>;
  health(): WebhookDurabilityHealth;
  logError(message: string, error: unknown): void;
  /** Webhook routes bypass the request logger: each refusal is logged here instead. */
  logRefusal(fields: WebhookRefusalLog): void;
}

export interface WebhookRefusalLog {
  requestId: string;
  route: string;
  status: number;
  code: string;
  detail: string;
  integrationId?: string;
  tenantId?: string;
}

interface RequestState {
  spec: WebhookRouteSpec;
  caller?: WebhookCaller;
  signature?: { integrationId?: string; digest: Buffer };
}

const CHALLENGES: Record<AuthScheme, string> = {
  bearer: 'Bearer realm="webhooks"',
  signature: 'HMAC-SHA256 realm="webhooks", header="X-Signature"',
  'bearer-or-signature': 'Bearer realm="webhooks", HMAC-SHA256 realm="webhooks", header="X-Signature"',
};

/**
 * The ChirpStack webhook routes as a Fastify plugin of their own, outside Nest's pipeline
 * (no guard, interceptor or validation pipe on the hot path) and with their own body
 * parsing: every content type arrives as the raw Buffer (at most 64 KiB), which is what the
 * signature is checked against and what is published, byte for byte. The rest of the API
 * keeps its JSON parsing, since parsers registered here stay inside this plugin.
 *
 * Order of checks: credentials from the headers (before the body is read), body size,
 * signature, the tenant's quota, `?event=`, content type and required fields; then the webhook
 * is made durable and only then answered 200. Bad input always gets a 4xx problem+json; a 503
 * means neither JetStream nor the spool could take it.
 *
 * Credentials naming an integration this process has not heard of are checked again after
 * asking identity once (a new integration works at once on every replica). Failed
 * authentications count per client address; past WEBHOOK_AUTH_FAILURES_PER_IP a failing request
 * is answered 429 at once, without asking identity (valid credentials from that address still pass).
 */
export function webhookRoutesPlugin(deps: WebhookRouteDeps) {
  const namespace = new Namespace(deps.namespace);
  const states = new WeakMap<FastifyRequest, RequestState>();

  return async function webhookRoutes(instance: FastifyInstance): Promise<void> {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));
    instance.setErrorHandler((error: FastifyError, request, reply) => onError(error, request, reply));

    for (const spec of WEBHOOK_ROUTES) {
      instance.route({
        method: 'POST',
        url: spec.url,
        bodyLimit: WEBHOOK_BODY_LIMIT_BYTES,
        // Browser security headers mean nothing to ChirpStack, and @fastify/helmet builds them anew for every request.
        helmet: false,
        onRequest: async (request, reply) => {
          const state: RequestState = { spec };
          states.set(request, state);
          const recheck = () => deps.authenticator.checkHeaders(spec.auth, request.headers);
          let check = recheck();
          if (!check.ok) {
            const settled = await settleFailure(request, reply, spec, check, recheck);
            if (!settled.ok) return settled.reply;
            check = settled.check;
          }
          if ('caller' in check) state.caller = check.caller;
          else state.signature = check.signature;
          return undefined;
        },
        // Not traced by the http instrumentation (too dear per webhook): a span of its own, whose context the published webhook carries.
        handler: (request, reply) => runAsServerSpan(request.headers, `POST ${spec.url}`, () => handle(request, reply), { 'http.route': spec.url }),
      });
    }

    instance.get(WEBHOOK_HEALTH_PATH, { helmet: false }, async (request, reply) => {
      const health = deps.health();
      if (health.accepting) return reply.code(200).send(health);
      const why = health.spool.available ? 'is full' : 'could not be opened';
      // Like every error, a problem document; the health fields ride along as extension members.
      return sendProblem(request, reply, new DomainError('UNAVAILABLE', `NATS is not connected and the webhook spool ${why}.`, { ...health }), { 'retry-after': '30' });
    });
  };

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const receivedAt = new Date();
    const state = states.get(request)!;
    const { spec } = state;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);

    let caller = state.caller;
    if (!caller) {
      const verify = () => deps.authenticator.verifySignature(state.signature!, body);
      let verified = verify();
      if (!verified.ok) {
        const settled = await settleFailure(request, reply, spec, verified, verify);
        if (!settled.ok) return settled.reply;
        verified = settled.check;
      }
      caller = verified.caller;
      state.caller = caller;
    }

    const taken = deps.quota(caller.tenantId);
    const allowed = 'ok' in taken ? taken : await taken;
    if (!allowed.ok) {
      const whose = caller.tenantId ? "the tenant's plan allows" : 'webhooks signed with the platform secret may send';
      const error = new DomainError('RATE_LIMITED', `More webhooks than ${whose} (${allowed.limit} per minute); retry in ${allowed.retryAfterSeconds} s.`, {
        limit: allowed.limit,
        retryAfterSeconds: allowed.retryAfterSeconds,
      });
      return refuse(request, reply, error, 'rate_limited', 'rate-limited', { 'retry-after': String(allowed.retryAfterSeconds) });
    }

    const event = eventOf(spec, request.query);
    if (!event.ok) {
      const errors: FieldError[] = [{ field: 'event', message: event.message }];
      return refuse(request, reply, new DomainError('VALIDATION_FAILED', `The query parameter event ${event.message}.`, undefined, { errors }), 'invalid', 'bad-payload');
    }

    const contentType = request.headers['content-type'];
    const parsed = parseChirpstackEvent({ event: event.event, contentType, body });
    if (!parsed.ok) {
      const { code, detail, errors } = parsed.problem;
      const unsupported = code === 'UNSUPPORTED_MEDIA_TYPE';
      return refuse(
        request,
        reply,
        new DomainError(code, detail, undefined, errors ? { errors } : {}),
        unsupported ? 'unsupported_media_type' : 'invalid',
        unsupported ? 'unsupported-media-type' : 'bad-payload',
      );
    }

    const kind = parsed.event.kind;
    const msgId = scopedMsgId(caller, dedupKey(kind, parsed.event, body));
    const webhook: OutgoingWebhook = {
      subject: namespace.subject(rawWebhookSubject(kind, caller.tenantId)),
      msgId,
      body,
      headers: rawWebhookHeaders({
        msgId,
        contentType: contentType ?? '',
        event: kind,
        tenantId: caller.tenantId,
        integrationId: caller.integrationId,
        auth: caller.auth,
        receivedAt: receivedAt.toISOString(),
      }),
    };

    let accepted: Acceptance;
    try {
      accepted = await deps.accept(webhook);
    } catch (error) {
      if (!(error instanceof WebhookUnavailableError)) throw error;
      const problem = new DomainError('UNAVAILABLE', `The webhook could not be stored: ${error.message}. Retry in ${error.retryAfterSeconds} s.`, {
        retryAfterSeconds: error.retryAfterSeconds,
      });
      return refuse(request, reply, problem, 'unavailable', 'unavailable', { 'retry-after': String(error.retryAfterSeconds) });
    }
    if (caller.integrationId && caller.tenantId) deps.reporter.accepted(caller.integrationId, caller.tenantId, receivedAt);
    webhookRequests.inc({ route: spec.name, outcome: accepted.durable === 'stream' ? 'published' : 'spooled' });
    return reply.code(200).send({
      status: 'accepted',
      durability: accepted.durable,
      ...(accepted.durable === 'stream' && accepted.duplicate ? { duplicate: true } : {}),
    });
  }

  /**
   * A failed check: answered 429 at once when the address has failed too often; else, when it
   * names an integration unknown here, checked again once identity was asked about it; else
   * counted against the address and refused.
   */
  async function settleFailure<T extends { ok: true }>(
    request: FastifyRequest,
    reply: FastifyReply,
    spec: WebhookRouteSpec,
    failure: AuthFailure,
    again: () => T | AuthFailure,
  ): Promise<{ ok: true; check: T } | { ok: false; reply: FastifyReply }> {
    const waitSeconds = deps.authFailures.blocked(request.ip);
    if (waitSeconds !== undefined) {
      webhookRequests.inc({ route: spec.name, outcome: 'rate_limited' });
      const error = new DomainError('RATE_LIMITED', `Too many failed authentications from this address; retry in ${waitSeconds} s.`, { retryAfterSeconds: waitSeconds });
      return { ok: false, reply: sendProblem(request, reply, error, { 'retry-after': String(waitSeconds) }, spec.name) };
    }
    let refusal = failure;
    if (failure.lookup && (await deps.lookup(failure.lookup))) {
      const retried = again();
      if (retried.ok) return { ok: true, check: retried };
      refusal = retried;
    }
    if (refusal.status === 401) deps.authFailures.record(request.ip);
    return { ok: false, reply: refuseAuth(request, reply, spec, refusal) };
  }

  function refuseAuth(request: FastifyRequest, reply: FastifyReply, spec: WebhookRouteSpec, failure: AuthFailure): FastifyReply {
    if (failure.blame) deps.reporter.rejected(failure.blame.integrationId, failure.blame.tenantId, failure.blame.reason, new Date());
    webhookRequests.inc({ route: spec.name, outcome: failure.status === 401 ? 'unauthenticated' : 'forbidden' });
    const headers: Record<string, string> = failure.status === 401 ? { 'www-authenticate': CHALLENGES[spec.auth] } : {};
    return sendProblem(request, reply, new DomainError(failure.code, failure.detail), headers, spec.name, failure.blame);
  }

  /** A refusal after authentication: counted, and reported to the integration's owner. */
  function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    error: DomainError,
    outcome: WebhookOutcome,
    reason: RejectionReason,
    headers: Record<string, string> = {},
  ): FastifyReply {
    const state = states.get(request);
    const caller = state?.caller;
    if (caller?.integrationId && caller.tenantId) deps.reporter.rejected(caller.integrationId, caller.tenantId, reason, new Date());
    webhookRequests.inc({ route: state?.spec.name ?? 'unknown', outcome });
    return sendProblem(request, reply, error, headers, state?.spec.name, caller);
  }

  function onError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const detail = `The body is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes (64 KiB), the most a webhook may carry.`;
      return refuse(request, reply, new DomainError('PAYLOAD_TOO_LARGE', detail, { limitBytes: WEBHOOK_BODY_LIMIT_BYTES }), 'too_large', 'too-large');
    }
    if (error instanceof DomainError) return refuse(request, reply, error, 'invalid', 'bad-payload');
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (a bad Content-Length, an aborted body): rendered like any other 4xx.
      const document = problemOf(request, classifyException(error));
      const route = states.get(request)?.spec.name ?? 'unknown';
      webhookRequests.inc({ route, outcome: 'invalid' });
      deps.logRefusal({ requestId: String(request.id), route, status: document.status, code: String(document.code ?? ''), detail: String(document.detail ?? '') });
      return reply.code(document.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(document));
    }
    deps.logError(`webhook request ${String(request.id)} failed`, error);
    const document = problemOf(request, { kind: 'unexpected', error });
    return reply.code(document.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(document));
  }

  function sendProblem(
    request: FastifyRequest,
    reply: FastifyReply,
    error: DomainError,
    headers: Record<string, string>,
    route = 'health',
    who?: { integrationId?: string; tenantId?: string },
  ): FastifyReply {
    const document = problemOf(request, { kind: 'domain', error });
    deps.logRefusal({
      requestId: String(request.id),
      route,
      status: document.status,
      code: String(document.code ?? error.code),
      detail: String(document.detail ?? ''),
      ...(who?.integrationId ? { integrationId: who.integrationId } : {}),
      ...(who?.tenantId ? { tenantId: who.tenantId } : {}),
    });
    return reply.code(document.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(document));
  }

  function problemOf(request: FastifyRequest, classified: Parameters<typeof toProblemDocument>[0]) {
    return toProblemDocument(classified, { method: request.method, path: request.url.split('?', 1)[0], requestId: String(request.id) });
  }
}

/**
 * `Nats-Msg-Id`: `<tenantId | _platform>:<integrationId | _>:<event>:<deduplicationId>` (or the
 * body's SHA-256 without one). JetStream drops a repeated id within its duplicate window, so the
 * id names who sent the event: another tenant's integration reusing a deduplicationId (they are
 * chosen by each ChirpStack, or by anyone holding a token) never suppresses this one.
 */
export function scopedMsgId(caller: Pick<WebhookCaller, 'tenantId' | 'integrationId'>, key: string): string {
  return `${caller.tenantId ?? PLATFORM_TENANT_TOKEN}:${caller.integrationId ?? '_'}:${key}`;
}
