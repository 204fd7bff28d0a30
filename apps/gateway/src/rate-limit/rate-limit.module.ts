import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitRedis } from './rate-limit-redis';
import { RateLimitSubjects } from './rate-limit-subject';
import { RateLimits } from './rate-limits';
import { TenantLimitsFeed } from './tenant-limits-feed';
import { TenantQuotas } from './tenant-quotas';

@Module({
  imports: [AuthModule],
  providers: [RateLimitRedis, RateLimitSubjects, TenantQuotas, TenantLimitsFeed, RateLimits],
  exports: [RateLimits, TenantQuotas, RateLimitRedis],
})
export class RateLimitModule {}
