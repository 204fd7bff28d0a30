import { Injectable, Logger } from '@nestjs/common';

/**
 * Something that ends access granted earlier, as identity announced it: a revoked (or rotated)
 * API key, a user removed from its tenant, a suspended tenant. `announcements-resumed`: one of
 * the feeds that carry them (re)started following, so endings published while it did not may
 * never arrive here.
 */
export type AccessEnding =
  | { kind: 'api-key-revoked'; tenantId: string; apiKeyId: string }
  | { kind: 'user-removed'; tenantId: string; userId: string }
  | { kind: 'tenant-suspended'; tenantId: string }
  | { kind: 'announcements-resumed' };

type Listener = (ending: AccessEnding) => void;

/**
 * The gateway's in-process relay of AccessEnding: the feeds that follow identity announce them,
 * whatever holds access for longer than a request (live streams) listens. Keeps the feeds
 * (auth) unaware of who listens.
 */
@Injectable()
export class AccessEndings {
  private readonly logger = new Logger(AccessEndings.name);
  private readonly listeners = new Set<Listener>();

  /** Calls `listener` with every later ending; the returned function stops it. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(ending: AccessEnding): void {
    for (const listener of this.listeners) {
      try {
        listener(ending);
      } catch (error) {
        // One listener's fault must not keep the ending from the others.
        this.logger.error(`an access ending (${ending.kind}) could not be applied: ${(error as Error).message}`);
      }
    }
  }
}

/**
 * A feed's `onFollowingChanged` that announces `announcements-resumed` when the feed follows
 * again after it stopped, since endings published in between never arrive (new events only).
 * Not on its first start: a gateway that boots before identity's stream exists would otherwise
 * end the streams it opened meanwhile, for endings that are almost never there.
 */
export function announceResumptions(endings: AccessEndings): (following: boolean) => void {
  let followedBefore = false;
  return (following) => {
    if (!following) return;
    if (followedBefore) endings.announce({ kind: 'announcements-resumed' });
    followedBefore = true;
  };
}
