import { Injectable } from '@nestjs/common';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InjectConfig } from '@parking/config';
import { DomainError } from '@parking/problem-details';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { presentedCredential } from '../auth/presented-credential';
import type { GatewayConfig } from '../config';
import { RateLimitRedis } from './rate-limit-redis';
import { isLimitedPath, RateLimitSubjects, type RateLimitSubject } from './rate-limit-subject';
import { TenantQuotas } from './tenant-quotas';

const TENANT_WINDOW_MS = 60_000;

/**
 * @fastify/rate-limit on every route: one budget per API key, per user, or per address for
 * callers without verified credentials; a second budget per tenant from its plan's
 * `apiRequestsPerMinute` once the gateway knows it. Counters live in Redis when REDIS_URL is
 * set (shared by all replicas), else in memory. Draft-spec `RateLimit-*` headers; a 429 is
 * problem+json with `Retry-After`.
 *
 * An API key the gateway cannot judge alone (not cached, not recently refused) costs a question
 * to identity: such requests first spend a budget per address (RATE_LIMIT_PER_IP), so a flood of
 * invented keys from one address reaches identity at most that often per window.
 */
@Injectable()
export class RateLimits {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly subjects: RateLimitSubjects,
    private readonly quotas: TenantQuotas,
    private readonly redis: RateLimitRedis,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {}

  /** Queues the plugin and its hooks; they load when Fastify gets ready (see HttpEdge). */
  register(fastify: FastifyInstance): void {
    const { keyPrefix, windowMs } = this.config.rateLimit;
    void fastify.register(rateLimit, {
      global: false,
      enableDraftSpec: true,
      timeWindow: windowMs,
      ...(this.redis.client ? { redis: this.redis.client, nameSpace: keyPrefix } : {}),
      skipOnError: true,
      keyGenerator: async (request) => bucketOf(await this.subjects.subjectOf(request)),
      allowList: async (request) => this.isUnlimited(await this.subjects.subjectOf(request)),
      max: async (request) => this.budgetOf(await this.subjects.subjectOf(request)),
      errorResponseBuilder: (_request, context) => tooManyRequests(context.max, Math.ceil(context.ttl / 1000)),
    });
    fastify.after(() => {
      fastify.addHook('onRequest', this.beforeKeyChecks(fastify));
      fastify.addHook('onRequest', fastify.rateLimit());
      fastify.addHook('onRequest', this.tenantBudget(fastify));
    });
  }

  private isUnlimited(subject: RateLimitSubject): boolean {
    // Webhooks: ChirpStack sends everything from one address. Each tenant has its plan's
    // webhook quota in the webhook routes instead (webhooks/edge/webhook-quota.ts), and failed
    // authentications are limited per address there (webhooks/edge/auth-failure-limit.ts).
    return subject.kind === 'exempt' || subject.kind === 'webhook';
  }

  private budgetOf(subject: RateLimitSubject): number {
    const { perIp, perUser, perApiKey } = this.config.rateLimit;
    if (subject.kind === 'api-key') return perApiKey;
    if (subject.kind === 'user') return perUser;
    return perIp;
  }

  /** The address's budget, spent by requests whose API key identity must be asked about, before it is asked. */
  private beforeKeyChecks(fastify: FastifyInstance): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    const check = fastify.createRateLimit({
      timeWindow: this.config.rateLimit.windowMs,
      max: this.config.rateLimit.perIp,
      keyGenerator: (request) => `api-key-check:${request.ip}`,
      allowList: (request) => !this.asksIdentity(request),
    });
    return async (request, reply) => {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      void reply.header('retry-after', String(result.ttlInSeconds));
      throw tooManyRequests(result.max, result.ttlInSeconds);
    };
  }

  private asksIdentity(request: FastifyRequest): boolean {
    if (!isLimitedPath(request.url)) return false;
    const credential = presentedCredential(request.headers);
    return credential.kind === 'api-key' && !this.apiKeys.answersAlone(credential.key);
  }

  /** The tenant's own per-minute budget, spent by all its users and keys together. */
  private tenantBudget(fastify: FastifyInstance): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    const limitOf = async (request: FastifyRequest) => {
      const subject = await this.subjects.subjectOf(request);
      return 'tenantId' in subject ? this.quotas.requestsPerMinute(subject.tenantId) : undefined;
    };
    const check = fastify.createRateLimit({
      timeWindow: TENANT_WINDOW_MS,
      keyGenerator: async (request) => {
        const subject = await this.subjects.subjectOf(request);
        return 'tenantId' in subject ? `tenant:${subject.tenantId}` : 'no-tenant';
      },
      allowList: async (request) => typeof (await limitOf(request)) !== 'number',
      max: async (request) => (await limitOf(request)) ?? 0,
    });
    return async (request, reply) => {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      void reply.header('retry-after', String(result.ttlInSeconds));
      throw tooManyRequests(result.max, result.ttlInSeconds, 'tenant');
    };
  }
}

function bucketOf(subject: RateLimitSubject): string {
  switch (subject.kind) {
    case 'api-key':
      return `api-key:${subject.id}`;
    case 'user':
      return `user:${subject.id}`;
    case 'ip':
      return `ip:${subject.ip}`;
    case 'exempt':
    case 'webhook':
      return subject.kind;
  }
}

function tooManyRequests(limit: number, retryAfterSeconds: number, scope: 'caller' | 'tenant' = 'caller'): DomainError {
  const whose = scope === 'tenant' ? "the tenant's plan allows" : 'this caller may send';
  return new DomainError('RATE_LIMITED', `More requests than ${whose} (${limit} per window); retry in ${retryAfterSeconds} s.`, {
    limit,
    retryAfterSeconds,
  });
}
