import { Injectable } from '@nestjs/common';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InjectConfig } from '@parking/config';
import { DomainError } from '@parking/problem-details';
import type { GatewayConfig } from '../config';
import { RateLimitRedis } from './rate-limit-redis';
import { RateLimitSubjects, type RateLimitSubject } from './rate-limit-subject';
import { TenantRequestQuota } from './tenant-request-quota';

const TENANT_WINDOW_MS = 60_000;

/**
 * @fastify/rate-limit on every route: one budget per API key, per user, or per address for
 * callers without verified credentials; a second budget per tenant from its plan's
 * `apiRequestsPerMinute` once the gateway knows it. Counters live in Redis when REDIS_URL is
 * set (shared by all replicas), else in memory. Draft-spec `RateLimit-*` headers; a 429 is
 * problem+json with `Retry-After`.
 */
@Injectable()
export class RateLimits {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly subjects: RateLimitSubjects,
    private readonly quota: TenantRequestQuota,
    private readonly redis: RateLimitRedis,
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
      fastify.addHook('onRequest', fastify.rateLimit());
      fastify.addHook('onRequest', this.tenantBudget(fastify));
    });
  }

  private isUnlimited(subject: RateLimitSubject): boolean {
    // Webhooks: ChirpStack sends everything from one address. Each integration has its own
    // in-memory token bucket in the webhook routes instead (webhooks/edge/integration-rate-limit.ts).
    return subject.kind === 'exempt' || subject.kind === 'webhook';
  }

  private budgetOf(subject: RateLimitSubject): number {
    const { perIp, perUser, perApiKey } = this.config.rateLimit;
    if (subject.kind === 'api-key') return perApiKey;
    if (subject.kind === 'user') return perUser;
    return perIp;
  }

  /** The tenant's own per-minute budget, spent by all its users and keys together. */
  private tenantBudget(fastify: FastifyInstance): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    const limitOf = async (request: FastifyRequest) => {
      const subject = await this.subjects.subjectOf(request);
      return 'tenantId' in subject ? this.quota.requestsPerMinute(subject.tenantId) : undefined;
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
