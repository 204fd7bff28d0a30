/** The prefix identity gives every API key secret (`pk_live_…`), so it can travel as a bearer token too. */
export const API_KEY_PREFIX = 'pk_';

export type PresentedCredential =
  | { kind: 'api-key'; key: string }
  | { kind: 'access-token'; token: string }
  | { kind: 'none' };

type Headers = Record<string, string | string[] | undefined>;

/**
 * What the caller presents: `X-API-Key: <key>`, `Authorization: Bearer pk_…` (an API key) or
 * `Authorization: Bearer <jwt>`. The key header wins when both are sent.
 */
export function presentedCredential(headers: Headers): PresentedCredential {
  const apiKey = single(headers['x-api-key']);
  if (apiKey) return { kind: 'api-key', key: apiKey };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(single(headers.authorization) ?? '')?.[1];
  if (!bearer) return { kind: 'none' };
  return bearer.startsWith(API_KEY_PREFIX) ? { kind: 'api-key', key: bearer } : { kind: 'access-token', token: bearer };
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}
