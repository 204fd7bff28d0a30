/** SQLSTATE classes and codes that mean the server or the connection went away, not the statement failed. */
const CONNECTION_SQLSTATES = /^(08...|57P0[123]|53300)$/;
/** Socket errors of a connection that cannot be made or was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** Prisma's: cannot reach the server (P1001), timed out reaching it (P1002), it closed the connection (P1017), no pooled connection in time (P2024). */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** What node-postgres and Prisma's driver adapter say when a connection ends under them. */
const CUT_OFF = /Connection terminated|terminating connection|connection error and is not queryable|Can't reach database server|Server has closed the connection|Connection ended unexpectedly|timeout exceeded when trying to connect/i;

/**
 * Whether `error` (or an error it was caused by) says PostgreSQL cannot be reached right now:
 * a failure to retry later, not one of the request. A unit of work that ends so is UNAVAILABLE.
 */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, cause, kind } = error as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
  if (typeof code === 'string' && (CONNECTION_SQLSTATES.test(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code))) return true;
  // Prisma's driver adapters name the failure by kind (e.g. DatabaseNotReachable).
  if (typeof kind === 'string' && /NotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(kind)) return true;
  if (typeof message === 'string' && CUT_OFF.test(message)) return true;
  return isDatabaseUnreachable(cause, depth + 1);
}
