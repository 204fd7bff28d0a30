/**
 * The catalogue of error codes the platform speaks. A code is stable and public: clients
 * branch on it. Each maps to one HTTP status; the problem+json `type` is derived from it.
 * Later modules add their codes here so that every code has exactly one status.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  BAD_REQUEST: { status: 400, title: 'The request cannot be read' },
  // Creating or extending a reservation needs one, so a retry can never book twice.
  IDEMPOTENCY_KEY_MISSING: { status: 400, title: 'The Idempotency-Key header is required' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication is required' },
  // Wrong password, unknown email and a throttled account answer alike, on purpose.
  INVALID_CREDENTIALS: { status: 401, title: 'The email or password is not correct' },
  INVALID_TOKEN: { status: 401, title: 'The token is not valid' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  LIMIT_EXCEEDED: { status: 403, title: "The tenant's plan limit is reached" },
  TENANT_SUSPENDED: { status: 403, title: 'The tenant is suspended' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict with the current state' },
  // A dead letter goes back to its consumer once; the pipeline's dedup covers the rest.
  ALREADY_REPLAYED: { status: 409, title: 'The dead letter was replayed already' },
  // One owner per devEUI platform-wide; the answer never says which tenant holds it.
  DEVICE_EXISTS: { status: 409, title: 'The devEUI is already registered' },
  // Another tenant's ChirpStack integration has sent this devEUI: a platform admin assigns it (the orphan assignment).
  // Another request with the same key is still running: retry once it has answered.
  IDEMPOTENCY_KEY_IN_FLIGHT: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  // The window overlaps an active booking of the space; the answer names the window, never its owner.
  RESERVATION_OVERLAP: { status: 409, title: 'The space is already booked for part of this window' },
  // A zone booking found no space of the zone free for the whole window.
  NO_SPACE_AVAILABLE: { status: 409, title: 'No space is free for this window' },
  DEVICE_CLAIM_REQUIRED: { status: 409, title: "Another tenant's integration sends this devEUI; a platform admin must approve the claim" },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  // An all-or-nothing import with bad rows: each is listed, nothing was applied.
  IMPORT_REJECTED: { status: 422, title: 'The import has invalid rows; nothing was applied' },
  // The same Idempotency-Key came with another request: a key names one request only.
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'The Idempotency-Key was used for a different request' },
  // A site's booking rule (opening hours, minimum or maximum duration, how far ahead): `rule` says which.
  RESERVATION_RULE_VIOLATED: { status: 422, title: "The booking breaks one of the site's rules" },
  // The quote named has expired, or was for another space, zone or window.
  QUOTE_NOT_APPLICABLE: { status: 422, title: 'The quote does not apply to this booking' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  UNAVAILABLE: { status: 503, title: 'Temporarily unavailable' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'A service did not answer in time' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The shape in which an error crosses NATS request/reply. */
export interface RpcErrorPayload {
  code: ErrorCode;
  detail: string;
  /** Per-field problems for VALIDATION_FAILED, or other machine-readable context. */
  errors?: Array<{ field: string; message: string }>;
  /** Public extension members for the problem document, e.g. `{limit: 'apiKeys', max: 5}`. */
  extras?: Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

/** `VALIDATION_FAILED` → `/problems/validation-failed`. */
export function problemTypeFor(code: ErrorCode): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
