import type { StreamEndReason } from './live-stream-slots';
import { sseUnnumberedEvent } from './sse-frames';

/** The last event of a stream the server ends; `data` is `{"reason": …, "detail": …}`. */
export const STREAM_CLOSED_EVENT = 'stream-closed';

/** What the client should do, per reason (the route's OpenAPI description lists them). */
export const STREAM_CLOSED_DETAILS: Readonly<Record<StreamEndReason, string>> = {
  'credential-expired': 'The access token or API key has expired; reconnect with a fresh one.',
  'credential-revoked': 'The API key was revoked or rotated; reconnect with a valid credential.',
  'user-removed': 'The user was removed from the tenant; this stream is no longer theirs to read.',
  'tenant-suspended': 'The tenant is suspended; its live streams end.',
  reconnect: 'This gateway may have missed a change of access; reconnect (with Last-Event-ID) to be authenticated again.',
};

export function streamClosedFrame(reason: StreamEndReason): string {
  return sseUnnumberedEvent(STREAM_CLOSED_EVENT, JSON.stringify({ reason, detail: STREAM_CLOSED_DETAILS[reason] }));
}
