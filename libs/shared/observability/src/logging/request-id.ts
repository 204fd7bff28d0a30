import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is kept only when it is short and plain, so it cannot forge log lines.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const assigned = new WeakMap<object, string>();

/** A raw Node request (HTTP/1 or HTTP/2) and response, as far as the id needs them. */
export interface RawRequestLike {
  headers: Record<string, string | string[] | undefined>;
}
export interface RawResponseLike {
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
}

/**
 * The request id of a raw Node request: the caller's `x-request-id` or a new UUID, decided
 * once per request so every caller agrees. Pass it to Fastify as `genReqId`; pino-http
 * calls it with `res` (and then echoes the id) only where no framework assigned one.
 */
export function requestIdFor(req: RawRequestLike, res?: RawResponseLike): string {
  let id = assigned.get(req);
  if (id === undefined) {
    const header = req.headers[REQUEST_ID_HEADER];
    id = typeof header === 'string' && ACCEPTABLE_ID.test(header) ? header : randomUUID();
    assigned.set(req, id);
  }
  if (res && !res.headersSent) res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
