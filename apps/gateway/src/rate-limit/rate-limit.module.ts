import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitRedis } from './rate-limit-redis';
import { RateLimitSubjects } from './rate-limit-subject';
import { RateLimits } from './rate-limits';
import { TenantLimitsFeed } from './tenant-limits-feed';
import { TenantRequestQuota } from './tenant-request-quota';

@Module({
  imports: [AuthModule],
  providers: [RateLimitRedis, RateLimitSubjects, TenantRequestQuota, TenantLimitsFeed, RateLimits],
  exports: [RateLimits, TenantRequestQuota],
})
export class RateLimitModule {}
