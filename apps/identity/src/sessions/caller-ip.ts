import type { ReceivedRpcContext } from '@parking/contracts';

const IP_MAX = 64;

/** The client's address from the RPC context (`caller`); a missing one still throttles, under one shared key. */
export function callerIp(context: ReceivedRpcContext): string {
  const caller = context.caller;
  const ip = caller !== null && typeof caller === 'object' ? (caller as { ip?: unknown }).ip : undefined;
  return typeof ip === 'string' && ip.length > 0 && ip.length <= IP_MAX ? ip : 'unknown';
}
