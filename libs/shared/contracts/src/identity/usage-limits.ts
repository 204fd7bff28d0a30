import { ApiProperty } from '@nestjs/swagger';

/** Limits of a tenant's plan; `null` is unlimited. */
export interface UsageLimits {
  users: number | null;
  apiKeys: number | null;
  integrations: number | null;
  sites: number | null;
  spaces: number | null;
  devices: number | null;
  apiRequestsPerMinute: number | null;
  reservationsPerMonth: number | null;
  /**
   * ChirpStack webhooks the tenant's integrations may send per minute, all gateway replicas
   * together (beyond it 429). An event published before this limit existed lacks it.
   */
  webhooksPerMinute: number | null;
}

/** The effective limits as answers show them (OpenAPI and typing). */
export class UsageLimitsView implements UsageLimits {
  @ApiProperty({ type: 'integer', nullable: true, example: 3 }) users!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 }) apiKeys!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) integrations!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) sites!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 50 }) spaces!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 50 }) devices!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 60 }) apiRequestsPerMinute!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 500 }) reservationsPerMonth!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1000 }) webhooksPerMinute!: number | null;
}

export const USAGE_LIMIT_NAMES = [
  'users',
  'apiKeys',
  'integrations',
  'sites',
  'spaces',
  'devices',
  'apiRequestsPerMinute',
  'reservationsPerMonth',
  'webhooksPerMinute',
] as const satisfies ReadonlyArray<keyof UsageLimits>;
export type UsageLimitName = (typeof USAGE_LIMIT_NAMES)[number];

/**
 * The plans a tenant can be on. A new tenant starts on DEFAULT_PLAN; a platform admin may
 * move it and override single limits. Other services enforce their limits from
 * `identity.tenant.limits_changed.v1`, never by asking identity.
 */
export const PLANS = {
  free: {
    users: 3,
    apiKeys: 2,
    integrations: 1,
    sites: 1,
    spaces: 50,
    devices: 50,
    apiRequestsPerMinute: 60,
    reservationsPerMonth: 500,
    // 50 devices: an uplink and a status report each, many times over.
    webhooksPerMinute: 1_000,
  },
  standard: {
    users: 25,
    apiKeys: 20,
    integrations: 5,
    sites: 10,
    spaces: 2_000,
    devices: 2_000,
    apiRequestsPerMinute: 600,
    reservationsPerMonth: 50_000,
    webhooksPerMinute: 20_000,
  },
  enterprise: {
    users: null,
    apiKeys: null,
    integrations: null,
    sites: null,
    spaces: null,
    devices: null,
    apiRequestsPerMinute: 6_000,
    reservationsPerMonth: null,
    // Still a ceiling: the webhook path, the spool and the streams are shared by every tenant.
    webhooksPerMinute: 100_000,
  },
} as const satisfies Record<string, UsageLimits>;
export type PlanId = keyof typeof PLANS;
export const DEFAULT_PLAN: PlanId = 'free';

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PLANS, value);
}

/** The plan's limits with the tenant's overrides on top. */
export function effectiveLimits(plan: PlanId, overrides: Partial<UsageLimits>): UsageLimits {
  return { ...PLANS[plan], ...overrides };
}
