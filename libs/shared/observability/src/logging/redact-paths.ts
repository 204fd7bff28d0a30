const SECRET_HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-signature"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

const SECRET_KEYS = ['password', 'token', 'secret', 'refreshToken', 'accessToken', 'apiKey', 'hmacSecret', 'apiToken', 'appKey', 'nwkKey'];

// pino's redaction is path-based (no recursive wildcard), so each key is listed at the top
// level and up to three objects deep: `{user: {credentials: {password}}}` is covered.
const NESTING = ['', '*.', '*.*.', '*.*.*.'];

export const REDACT_PATHS: readonly string[] = [
  ...SECRET_HEADER_PATHS,
  ...NESTING.flatMap((prefix) => SECRET_KEYS.map((key) => `${prefix}${key}`)),
];

export const REDACTED = '[redacted]';
