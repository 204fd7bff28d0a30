import { isIPv4, isIPv6 } from 'node:net';
import type { ReceivedRpcContext } from '@parking/contracts';

const IP_MAX = 64;

/** The client's address from the RPC context (`caller`); a missing one still throttles, under one shared key. */
export function callerIp(context: ReceivedRpcContext): string {
  const caller = context.caller;
  const ip = caller !== null && typeof caller === 'object' ? (caller as { ip?: unknown }).ip : undefined;
  return typeof ip === 'string' && ip.length > 0 && ip.length <= IP_MAX ? ip : 'unknown';
}

/**
 * What one client's sign-in attempts are counted under: an IPv4 address as it is, an IPv6
 * address by its /64 (a subscriber gets at least a /64 and can pick any address in it), an
 * IPv4-mapped IPv6 address as its IPv4 address; anything else under one shared `unknown`.
 */
export function throttleAddressOf(ip: string): string {
  const address = ip.trim();
  if (isIPv4(address)) return address;
  const withoutZone = address.replace(/%.*$/, '');
  if (!isIPv6(withoutZone)) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(withoutZone);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  const groups = expandIPv6(withoutZone);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, lower case without leading zeros (an embedded IPv4 tail is converted). */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  const v4Tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4Tail) {
    const [a, b, c, d] = v4Tail[1].split('.').map(Number);
    text = text.slice(0, -v4Tail[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array.from({ length: missing }, () => '0'), ...right].map((group) => Number.parseInt(group, 16).toString(16));
}
